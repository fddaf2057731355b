"""The projects app's public interface: the only module other apps (and the core's app
declarations) may import from it. Functions and plain data, never tables or views."""

from projects.scale import load_scale

__all__ = ["load_scale"]
