"""`make bench`: a large deterministic catalogue, the production server under load, and the
numbers that say whether the shop stays fast (README, "Speed")."""
