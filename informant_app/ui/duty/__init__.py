"""A/B duty: the roster, absences, handovers, opened events and the informant's banner."""
