"""The "Om runden" sheet's fixed content: how the round's figures are made, and local time
for Excel."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OSLO_NAME = "Europe/Oslo"


def local_time(moment: datetime) -> datetime:
    """Naive local time for Excel, which has no time zones; naive input is taken as local."""
    if moment.tzinfo is None:
        return moment
    try:
        zone: tzinfo = ZoneInfo(OSLO_NAME)
    except ZoneInfoNotFoundError:  # no tz database installed: UTC is better than a crash
        zone = UTC
    return moment.astimezone(zone).replace(tzinfo=None)


METHOD_NOTES: tuple[tuple[str, str], ...] = (
    (
        "Kriteriene",
        "Nytte, alvorlighet og ressurs er prioriteringskriteriene for de kommunale helse- og "
        "omsorgstjenestene (NOU 2018:16 Det viktigste først og Meld. St. 38 (2020–2021) Nytte, "
        "ressurs og alvorlighet). Her er de brukt inspirert av Blankholm-kriteriene: for skole, "
        "barnehage, barnevern, NAV og politi gjelder de ikke formelt, men brukes i overført "
        "betydning.",
    ),
    (
        "Vurderingene",
        "Hver vurderer svarer 1–5 på hvert kriterium. «Kan ikke vurdere» er et blankt svar. "
        "Blanke svar telles ikke og står som tomme celler i arket «Råskårer».",
    ),
    (
        "Kriterieskår (CS)",
        "CS = 100 × (snitt − 1) / 4, der snittet er gjennomsnittet av svarene som ikke er "
        "blanke. 0 er lavest og 100 høyest.",
    ),
    (
        "Ressurs",
        "Ressurs skåres omvendt: jo mindre ressurser, jo høyere prioritet. Svaret snus "
        "(6 − svar) før CS regnes ut. Arket «Råskårer» viser svarene slik de ble gitt.",
    ),
    (
        "Kunnskapsgap",
        "Kunnskapsgap vurderes ikke av panelet, men hentes fra litteratursjekken: besvart 1, "
        "delvis besvart 3, ubesvart 5.",
    ),
    (
        "Prioritetsskår",
        "Prioritetsskår = Σ vekt × CS / Σ vekt, med vektene over.",
    ),
    (
        "Lik stemme per gruppe",
        "CS regnes ut for hver gruppe for seg (arket «Grupper»), og gruppene teller likt i "
        "snittet. Slik overdøver ikke en stor gruppe, for eksempel mange ansatte i "
        "motorkommunen, de små kommunene eller ungdommene.",
    ),
    (
        "Enighet (AEA)",
        "For hvert kriterium: andelen vurderere som ga det vanligste svaret. AEA (Average "
        "Expert Agreement, fra CHNRI-metoden) er snittet over kriteriene. En høy skår med lav "
        "enighet betyr at behovet er omstridt.",
    ),
    (
        "Rangintervall",
        "Laveste og høyeste plass behovet fikk i følsomhetsberegningen. Et behov merket "
        "ustabilt kan bytte plass ved små endringer i vurderingene.",
    ),
    (
        "Beslutningen",
        "Den beregnede rangeringen er et hjelpemiddel, ikke beslutningen. Kriteriene veies "
        "samlet. Beslutningen kan avvike fra rangeringen, og da med skriftlig begrunnelse "
        "(arket «Beslutninger»).",
    ),
    (
        "Offentlighet",
        "Eksporten kan være et offentlig dokument etter offentleglova og kan være arkivpliktig. "
        "Den skal ikke inneholde personopplysninger om barn. Vurderere vises med navn eller "
        "pseudonym, slik runden er satt opp.",
    ),
)
