"""Private helpers shared by the subpackages: table adapters (columns), event encoding
(events), files, progress bars and option checks. Nothing here is public API."""
