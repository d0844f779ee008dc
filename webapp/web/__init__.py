"""Flask adapters: blueprints by area."""
