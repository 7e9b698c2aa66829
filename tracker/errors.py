"""The exceptions the library raises and the command line turns into one-line errors.

Each class carries the exit code the SPEC assigns to it: 2 for input the user can fix
(a bad DOI, an unknown id, a file that is not a database), 1 for work that could not
be finished (the network failed and nothing was cached).
"""


class TrackerError(Exception):
    "Base class for every error the tracker reports to its user."

    exit_code = 2


class InvalidInput(TrackerError):
    "A value given by the user is not acceptable."


class InvalidDOI(InvalidInput):
    "The text is not a DOI."


class NotFound(InvalidInput):
    "A claim, article or work named by id or DOI does not exist."


class DatabaseError(TrackerError):
    "The database file cannot be used: not SQLite, or from a newer tracker."


class IncompleteWork(TrackerError):
    "The command ran but could not finish its work."

    exit_code = 1


class ServiceError(TrackerError):
    "A metadata service did not give a usable answer, even after retries."

    exit_code = 1
