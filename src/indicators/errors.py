"""User-facing errors: one line naming the file, line or parameter at fault."""


class IndicatorsError(Exception):
    """An error caused by input (a file, a parameter), not by a bug.

    The command line prints its message on one line and exits non-zero, without a traceback.
    """
