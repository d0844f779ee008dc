"""Pure Plotly figure builders: DTOs in, go.Figure out, no queries."""
