"""Country names and codes → ISO 3166-1 alpha-3, for the `iso3` columns of the contract.

Analysts write `Maroc`, `États-Unis`, `Morocco`, `MA` or `MAR`; the lake stores `MAR`. The codes
and English names come from pycountry (the ISO 3166-1 list), the French and English short names
from Babel's CLDR territory names (keyed by alpha-2), plus pycountry's French translations of the
official names. Spellings are compared folded (`envol.schema.fold`: accents, case and punctuation
ignored). A folded spelling that would name two countries is dropped rather than guessed.
"""

from __future__ import annotations

import functools
import gettext

import pycountry
from babel import Locale

from envol.schema import fold

# Everyday spellings that neither list has (folded → alpha-3).
EXTRA = {
    "uk": "GBR", "grande_bretagne": "GBR", "great_britain": "GBR", "angleterre": "GBR",
    "england": "GBR", "hollande": "NLD", "holland": "NLD", "usa": "USA", "us": "USA",
    "etats_unis_d_amerique": "USA", "amerique": "USA", "coree_du_sud": "KOR",
    "south_korea": "KOR", "russia": "RUS", "vietnam": "VNM", "viet_nam": "VNM",
    "republique_tcheque": "CZE", "czech_republic": "CZE", "turkey": "TUR",
}


@functools.cache
def lexicon() -> dict[str, str]:
    """Folded spelling → alpha-3, for every ISO 3166-1 country."""
    fr, en = Locale("fr").territories, Locale("en").territories
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    except OSError:  # pragma: no cover - pycountry always ships its French catalogue
        tr = gettext.NullTranslations()
    seen: dict[str, set[str]] = {}
    for c in pycountry.countries:
        names = {c.alpha_2, c.alpha_3, c.name, fr.get(c.alpha_2, ""), en.get(c.alpha_2, "")}
        for attr in ("official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names |= {value, tr.gettext(value)}
        names.add(tr.gettext(c.name))
        for name in names:
            if name:
                seen.setdefault(fold(name), set()).add(c.alpha_3)
    out = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and k}
    out.update(EXTRA)
    return out


def to_iso3(text: str | None) -> str | None:
    """`Maroc` → `MAR`; None when the text names no country (or is empty)."""
    if text is None or not text.strip():
        return None
    return lexicon().get(fold(text))


def name(iso3: str, lang: str) -> str:
    """The country's short name in French or English (`MAR` → `Maroc`)."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return Locale(lang).territories.get(country.alpha_2, country.name)
