"""A/B duty on this device: posts, roster, absences, handovers, openings and deadlines."""
