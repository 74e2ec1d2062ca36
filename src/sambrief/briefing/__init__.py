"""What each audience is told: composition, findings, the figure registry, changes and the themes."""
