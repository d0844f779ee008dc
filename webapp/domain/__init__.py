"""Pure domain logic: no Flask, no database session, no broker."""
