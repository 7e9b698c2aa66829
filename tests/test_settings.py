import pytest

from tracker.errors import InvalidInput
from tracker.settings import Settings


def test_defaults():
    settings = Settings.from_env({})
    assert settings.crossref_api == "https://api.crossref.org"
    assert settings.doi_resolver == "https://doi.org"
    assert settings.mailto is None and not settings.offline and not settings.polite
    assert settings.backoff_factor == Settings.backoff_factor


def test_values_from_the_environment():
    settings = Settings.from_env(
        {
            "TRACKER_CROSSREF_API": "http://127.0.0.1:9000/",
            "TRACKER_MAILTO": "me@example.org",
            "TRACKER_OFFLINE": "yes",
            "TRACKER_RETRY_BACKOFF": "0.25",
        }
    )
    assert settings.crossref_api == "http://127.0.0.1:9000"
    assert settings.polite and settings.offline and settings.backoff_factor == 0.25


@pytest.mark.parametrize(
    "name, value",
    [
        ("TRACKER_MAILTO", "nobody"),
        ("TRACKER_CROSSREF_API", "ftp://example.org"),
        ("TRACKER_RETRY_BACKOFF", "soon"),
        ("TRACKER_RETRY_BACKOFF", "-1"),
        ("TRACKER_RETRY_BACKOFF", "nan"),
        ("TRACKER_RETRY_BACKOFF", "3600"),
    ],
)
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(InvalidInput, match=name):
        Settings.from_env({name: value})
