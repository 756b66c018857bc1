"""The notification outbox: rows written in the transaction that decides to notify, sent
at least once by dispatchers that claim them, deduplicated at the receiver by their key."""
