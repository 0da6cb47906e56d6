"""The only place threads are created."""
