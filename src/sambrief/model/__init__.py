"""The canonical model of one period: datasets joined, seats per person, periods, products,
groups for disclosure control."""
