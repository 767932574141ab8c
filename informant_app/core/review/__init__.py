"""Township review on the reviewer's device: queue, decisions, history, push and pull."""
