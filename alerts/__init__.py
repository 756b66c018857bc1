"""Alert rules, lifecycle, grouping, escalation, channels and digests."""
