"""`/person merge A | B` and `/person split NAME | SPELLING`: an admin corrects who is who.

Their own group, not `/who merge`: Discord cannot invoke a command group by itself, so
subcommands of /who would turn Discord's /who NAME into /who show NAME."""

from __future__ import annotations

from bot.errors import UserError
from bot.models import Reply, StoredPerson
from bot.nlp.names import name_key
from bot.ports import Store

_MERGE_USAGE = ("/person merge takes two people separated by |, the one to keep first, for "
                "example /person merge Saddam Hussein | Hussein.")
_SPLIT_USAGE = ("/person split takes a person and the spelling to make a person of its own, "
                "for example /person split Saddam Hussein | King Hussein.")


def _halves(args: str, usage: str) -> tuple[str, str]:
    parts = [p.strip() for p in args.split("|")]
    if len(parts) != 2 or not all(parts) or max(len(p) for p in parts) > 120:
        raise UserError(usage)
    return parts[0], parts[1]


def _person(store: Store, name: str) -> StoredPerson:
    """The one stored person written exactly so (canonical name first, then a spelling)."""
    key = name_key(name)
    people = [p for p in store.persons_named(name, name_key, limit=50) if p.kind == "person"]
    for exact in ([p for p in people if name_key(p.name) == key],
                  [p for p in people if key in {name_key(a) for a in p.aliases}]):
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            names = ", ".join(f"{p.name} ({p.mentions} mentions)" for p in exact[:5])
            raise UserError(f"{name!r} is more than one person ({names}); write the name "
                            f"as /who lists it.")
    raise UserError(f"No person called {name!r}; /who lists the people.")


def merge(store: Store, args: str) -> Reply:
    """/person merge KEEP | OTHER: OTHER is the same person as KEEP."""
    keep_name, other_name = _halves(args, _MERGE_USAGE)
    keep, other = _person(store, keep_name), _person(store, other_name)
    if keep.id == other.id:
        return Reply.text(f"{keep.name} and {other_name} are already one person.",
                          data={"person": keep.name})
    store.merge_people(keep.id, other.id)
    merged = store.people_by_ids([keep.id])[0]
    return Reply.text(f"{other.name} is now part of {merged.name} "
                      f"({merged.mentions} mentions).", data={"person": merged.name})


def split(store: Store, args: str) -> Reply:
    """/person split PERSON | SPELLING: the articles writing SPELLING are someone else."""
    name, spelling = _halves(args, _SPLIT_USAGE)
    person = _person(store, name)
    if name_key(spelling) == name_key(person.name):
        raise UserError(f"{spelling!r} is {person.name}'s own name; give another spelling "
                        f"of theirs, for example one /who {person.name} lists.")
    new_id = store.split_person(person.id, spelling, name_key)
    if new_id is None:
        raise UserError(f"No article writes {person.name} as {spelling!r}; "
                        f"/who {person.name} lists the spellings.")
    new, old = store.people_by_ids([new_id])[0], store.people_by_ids([person.id])[0]
    return Reply.text(f"{new.name} is now a person of their own ({new.mentions} mentions); "
                      f"{old.name} keeps {old.mentions}.",
                      data={"person": old.name, "split": new.name})
