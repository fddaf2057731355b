"""The national-scale demo: a deterministic, bulk-loaded country of clusters around the demo
cluster (`klynge demo --scale national`). The core writes the directory (klynge.scale.directory);
each app writes its own part through the `scale` entry of its declaration."""
