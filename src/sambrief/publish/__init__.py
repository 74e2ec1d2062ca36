"""Writing and sending: atomic output sets, lock, history, delivery channels."""
