import gc
import weakref

from tracker.crossref.client import Crossref
from tracker.settings import Settings


class Answer:
    """Stands for a fetched record (weak references need a class instance)."""


def test_each_lets_go_of_every_answer_once_it_is_handed_out():
    """Memory stays flat over many DOIs: an answer the caller has taken is not kept."""
    client = Crossref(Settings(offline=True))
    made: dict[int, weakref.ref] = {}

    def lookup(item: int) -> Answer:
        answer = Answer()
        made[item] = weakref.ref(answer)
        return answer

    handed_out = []
    for item, future in client.each("list", lookup, list(range(200))):
        assert isinstance(future.result(), Answer)
        handed_out.append(item)
        del future
        gc.collect()
        still_held = [n for n in handed_out[:-1] if made[n]() is not None]
        assert still_held == []
    assert len(handed_out) == 200
