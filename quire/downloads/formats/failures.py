"""The one error a builder raises for a work it cannot make into a file."""


class BuildFailed(Exception):
    """The file cannot be made from this version of the work (the renderer gave up, or took
    longer than settings.DOWNLOAD_BUILD_SECONDS). The message says why, for the logs; the
    reader gets a page saying the file could not be made."""
