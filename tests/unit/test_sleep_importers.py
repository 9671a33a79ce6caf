"""Wearable import parsers: Apple Health (old and new stage values, zip, hostile XML) and the
Fitbit sleep CSV (good, wrong columns, bad values)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from core.errors import InvalidInput
from core.sleep.importers import apple_health_nights, fitbit_nights
from core.sleep.metrics import night_metrics

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
]>
<HealthData locale="en_GB">
 <ExportDate value="2026-03-10 08:00:00 +0000"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth=""/>
"""
SLEEP = "HKCategoryTypeIdentifierSleepAnalysis"


def record(value: str, start: str, end: str, kind: str = SLEEP, source: str = "Watch") -> str:
    return (
        f' <Record type="{kind}" sourceName="{source}" unit="" value="HKCategoryValueSleepAnalysis'
        f'{value}" startDate="2026-03-{start} +0100" endDate="2026-03-{end} +0100">\n'
        '  <MetadataEntry key="HKTimeZone" value="Europe/Paris"/>\n </Record>\n'
    )


def export(*records: str) -> io.BytesIO:
    steps = (
        ' <Record type="HKQuantityTypeIdentifierStepCount" value="12" '
        'startDate="2026-03-02 10:00:00 +0100" endDate="2026-03-02 10:01:00 +0100"/>\n'
    )
    return io.BytesIO((HEAD + steps + "".join(records) + "</HealthData>\n").encode())


OLD_NIGHT = (
    record("InBed", "02 22:30:00", "03 07:00:00", source="iPhone"),
    record("Asleep", "02 23:00:00", "03 02:00:00", source="iPhone"),
    record("Asleep", "03 02:20:00", "03 06:40:00", source="iPhone"),
)
NEW_NIGHT = (
    record("AsleepCore", "03 23:10:00", "04 01:00:00"),
    record("AsleepDeep", "04 01:00:00", "04 02:00:00"),
    record("Awake", "04 02:00:00", "04 02:15:00"),
    record("AsleepREM", "04 02:15:00", "04 04:00:00"),
    record("AsleepUnspecified", "04 03:30:00", "04 06:30:00", source="iPhone"),  # overlaps
    record("AsleepCore", "04 15:00:00", "04 15:40:00"),  # an afternoon nap: left out
)


def test_old_stage_values_make_a_night_with_latency_and_waso() -> None:
    [night] = apple_health_nights(export(*OLD_NIGHT), "Europe/Paris")
    assert night.night_of == date(2026, 3, 2) and night.source == "apple_health"
    assert night.bed_time == datetime(2026, 3, 2, 21, 30)  # 22:30 +01:00
    metrics = night_metrics(night)
    assert metrics.time_in_bed == 8.5 * 60
    assert (metrics.onset_latency, metrics.waso) == (30, 20)
    assert metrics.total_sleep == 3 * 60 + 4 * 60 + 20
    assert night.awakenings == 1


def test_new_stage_values_from_two_devices_merge_and_a_nap_is_left_out() -> None:
    [night] = apple_health_nights(export(*NEW_NIGHT), "Europe/Paris")
    metrics = night_metrics(night)
    assert night.night_of == date(2026, 3, 3)
    assert night.wake_time == datetime(2026, 3, 4, 5, 30)  # 06:30 +01:00, not the nap
    assert metrics.total_sleep == 7 * 60 + 20 - 15  # 23:10 -> 06:30 less the awake 15 min
    assert metrics.waso == 15 and night.awakenings == 1


def test_a_zipped_export_is_read_and_progress_reaches_the_end() -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", export(*OLD_NIGHT, *NEW_NIGHT).read())
    packed.seek(0)
    seen: list[float] = []
    nights = apple_health_nights(packed, "Europe/Paris", seen.append)
    assert [n.night_of for n in nights] == [date(2026, 3, 2), date(2026, 3, 3)]
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_an_export_that_unzips_past_the_limit_is_refused_before_it_is_all_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A zip bomb, or an export too big to import: refused once the limit is passed (a small
    # limit stands in for the 1 GB one), whatever the zip's own size.
    monkeypatch.setattr("core.sleep.importers.MAX_IMPORT_BYTES", 200_000)
    body = export(*OLD_NIGHT, *NEW_NIGHT).read()
    padded = body.replace(b"</HealthData>", b"<!--" + b" " * 1_000_000 + b"--></HealthData>")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", padded)
    assert packed.tell() < 200_000  # small as a zip
    packed.seek(0)
    seen: list[float] = []
    with pytest.raises(InvalidInput, match="larger than 1 GB"):
        apple_health_nights(packed, "Europe/Paris", seen.append)
    assert not seen or seen[-1] < 1.0  # stopped before the end


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<HealthData><Record type="x" value="&lol3;"/></HealthData>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<HealthData><Record type="x" value="&secret;"/></HealthData>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE HealthData SYSTEM "http://127.0.0.1:9/evil.dtd">
<HealthData></HealthData>"""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (BILLION_LAUGHS, "declares XML entities"),
        (EXTERNAL, "declares XML entities"),
        (b"<HealthData><Record type='x'></HealthData>", "well-formed"),
        (b"<Other/>", "isn't an Apple Health export"),
        (b"", "well-formed"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (HEAD.encode() + record("Asleep", "02 bad", "03 07:00:00").encode() + b"</HealthData>",
         "date"),
    ],
)  # fmt: skip
def test_hostile_or_malformed_xml_is_refused_kindly(content: bytes, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        apple_health_nights(io.BytesIO(content), "Europe/Paris")


def test_an_external_dtd_is_never_fetched() -> None:
    # expat (under defusedxml) does not load external DTDs: the file reads as an empty export.
    assert apple_health_nights(io.BytesIO(EXTERNAL_DTD), "Europe/Paris") == []


FITBIT = """Activities
Date,Calories Burned
2026-03-02,2100

Sleep
Start Time,End Time,Minutes Asleep,Minutes Awake,Number of Awakenings,Time in Bed,Minutes REM Sleep
2026-03-02 10:58PM,2026-03-03 6:45AM,410,57,3,467,90
2026-03-03 2:00PM,2026-03-03 2:40PM,35,5,0,40,0
2026-03-28 11:00PM,2026-03-29 7:00AM,400,20,1,420,80
"""


def test_a_fitbit_csv_gives_one_night_per_date_across_dst() -> None:
    nights = fitbit_nights(io.BytesIO(FITBIT.encode()), "Europe/London")
    assert [n.night_of for n in nights] == [date(2026, 3, 2), date(2026, 3, 28)]
    first, dst = (night_metrics(n) for n in nights)
    assert (first.time_in_bed, first.total_sleep, first.waso) == (467, 410, 57)
    assert dst.time_in_bed == 420 and dst.total_sleep == 400  # spring forward: 7 real hours
    assert nights[0].source == "fitbit"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("date,steps\n2026-03-02,1000\n", "needs the columns"),
        ("", "needs the columns"),
        (FITBIT.replace("10:58PM", "late"), "can't read"),
        (FITBIT.replace(",410,", ",many,"), "can't read"),
    ],
)
def test_a_csv_with_the_wrong_columns_or_values_is_refused(content: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        fitbit_nights(io.BytesIO(content.encode()), "Europe/London")
