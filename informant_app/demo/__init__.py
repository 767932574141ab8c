"""`make demo`: a city server with the Baoshan sample accounts and a launcher for each."""
