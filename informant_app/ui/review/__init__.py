"""The township reviewer's workspace: the queue, the detail view and decisions."""
