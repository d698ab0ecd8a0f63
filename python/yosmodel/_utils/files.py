"""Tables in and out of files for the command line: CSV (optionally compressed) and Parquet in,
CSV, Parquet or a readable terminal table out. Reading shows progress; errors say which file and
what is wrong, in one line, without echoing data."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError, NotFoundError
from .progress import Progress

CSV = "csv"
PARQUET = "parquet"
_COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zip": "zip", ".zst": "zstd"}
_CSV_ROWS_PER_CHUNK = 1 << 20

ProgressFactory = Callable[..., Progress]


def file_format(path: str | Path) -> str:
    """``csv`` or ``parquet`` from the file name, or a ValueError naming the ones understood."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] in (".parquet", ".pq"):
        return PARQUET
    if suffixes and suffixes[-1] in _COMPRESSION:
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in (".csv", ".txt"):
        return CSV
    raise InputError(f"{path}: cannot tell the format from the name; use a .csv (or .csv.gz, "
                     ".csv.bz2, .csv.xz, .csv.zip) or .parquet file")


def output_format(path: str | Path) -> str:
    """file_format of a file to write, checked before any work: a .zst name needs the
    zstandard package, which pandas asks for only once the table is ready to write."""
    import importlib.util

    kind = file_format(path)
    if kind == CSV and Path(path).suffix.lower() == ".zst" \
            and importlib.util.find_spec("zstandard") is None:
        raise InputError(f"{path}: writing zstd-compressed CSV needs the zstandard package "
                         "(pip install zstandard); or write .csv.gz")
    if kind == PARQUET and importlib.util.find_spec("pyarrow") is None:
        raise InputError(f"{path}: writing Parquet needs pyarrow: pip install "
                         "'yosmodel[arrow]' (or write .csv)")
    return kind


def _check_columns(path: Path, available: Sequence[str], wanted: Mapping[str, Sequence[str]]):
    expected = {name for names in wanted.values() for name in names}
    for role, names in wanted.items():
        for name in names:
            if name in available:
                continue
            if not expected & set(available):
                # Not one name expected: likely a file without a header, whose "names" are a
                # record's values (an id, a date), which must not be echoed.
                raise NotFoundError(f"{path}: no {role} column '{name}', nor any other column the "
                                    f"command reads ({len(available)} columns, none named as "
                                    "expected): "
                                    "does the file start with a header row? (its names are not "
                                    "shown, as without one they would be a record's values)")
            shown = ", ".join(map(str, list(available)[:12]))
            more = ", ..." if len(available) > 12 else ""
            raise NotFoundError(f"{path}: no {role} column '{name}' (the file has "
                                f"{len(available)} columns: {shown}{more})")


def _needed(wanted: Mapping[str, Sequence[str]] | None) -> list[str] | None:
    if wanted is None:
        return None
    return list(dict.fromkeys(name for names in wanted.values() for name in names))


def read_table(path: str | Path, wanted: Mapping[str, Sequence[str]] | None = None,
               progress: ProgressFactory = Progress,
               required: Mapping[str, Sequence[str]] | None = None,
               rename: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Reads a CSV or Parquet file; ``wanted`` maps a role ("grouping", ...) to the columns it
    needs: only those are read, and a missing one is a KeyError naming the role. ``required``
    is checked alike, but every column is read (a cohort's disposals carry the others).
    ``rename`` maps the file's header names (without the spaces around them) to the names the
    columns are read under, as if the header said so ("Person ID" -> person_id): the rules for
    a column of that name (ids read as text) apply to it."""
    path = Path(path)
    if required:
        _check_columns(path, header_names(path, rename), required)
    kind = _input_format(path)
    if kind == PARQUET:
        return _read_parquet(path, wanted, progress, rename)
    compression = _COMPRESSION.get(path.suffix.lower())
    if compression is None:
        return _read_csv(path, wanted, progress, rename)
    try:
        return _read_csv(path, wanted, progress, rename)
    except _DECOMPRESSION_ERRORS as error:
        raise _not_decompressed(path, compression, error) from None


def _decompression_errors() -> tuple[type[BaseException], ...]:
    import lzma
    import zipfile
    import zlib

    # gzip's BadGzipFile is an OSError; a cut stream ends in EOFError; a missing zstandard
    # package is pandas' ImportError
    return (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, ImportError)


_DECOMPRESSION_ERRORS = _decompression_errors()


def _not_decompressed(path: Path, compression: str, error: BaseException) -> InputError:
    """The decompressors' own messages name no file and may quote its first bytes (a row,
    when the file has no header): one line naming the file and the compression instead."""
    if isinstance(error, ImportError):
        return InputError(f"{path}: reading {compression}-compressed CSV needs the zstandard "
                          "package (pip install zstandard), or decompress the file first")
    if isinstance(error, EOFError):
        return InputError(f"{path}: the {compression}-compressed file is cut short (an "
                          "incomplete download or copy); copy it again")
    return InputError(f"{path}: not a readable {compression}-compressed file (the name ends "
                      f"{path.suffix}); name it after its real format")


#: Columns read from CSV as the text written, never as numbers: person ids "007" and "7" are
#: two children (as numbers they were one, and the cohort's ids lost their zeros). The spaces
#: around such a value are removed, as around header names: fixed-width and CHAR(n) exports
#: pad ids ("A1  "), and a padded id in one file and not the other was another person, whose
#: offences were silently nobody's.
TEXT_COLUMNS = ("person_id",)

#: Field separators other than the comma that exports use: a semicolon where the comma is the
#: decimal mark (spreadsheets in much of Europe), a tab, a bar.
_OTHER_SEPARATORS = (";", "\t", "|")


_NUMBER_OR_DATE = re.compile(r"^[\d\s/.:+\-]+$")


def clean_header(names: Sequence[Any], where: str,
                 rename: Mapping[str, str] | None = None) -> list[str]:
    """Header names as the columns are meant to be named: a byte-order mark and the spaces
    around each name removed (" person_id" is person_id; spreadsheets and hand-edited exports
    add them), an empty name as pandas names it ("Unnamed: 3"), then ``rename``'s new name for
    it, if any. Two columns of one name after that are refused, naming it: which of them holds
    the values would be a guess."""
    cleaned = []
    for position, name in enumerate(names):
        text = "" if name is None or (isinstance(name, float) and name != name) else str(name)
        text = text.replace("\ufeff", "").strip()
        text = text or f"Unnamed: {position}"
        cleaned.append(rename.get(text, text) if rename else text)
    seen: set[str] = set()
    for name in cleaned:
        if name in seen:
            if _NUMBER_OR_DATE.match(name):
                # A number or a date twice is a record read as the header (offence and proven
                # on one day): the value must not be echoed.
                raise InputError(f"{where}: the first row repeats a number or date where the "
                                 "header names its columns: does the file start with a "
                                 "header row? (the value is not shown)")
            raise InputError(f"{where}: the header names column '{name}' more than once (after "
                             "removing spaces around the names"
                             f"{' and renaming' if rename else ''}); rename one of them")
        seen.add(name)
    return cleaned


def _raw_header(path: Path, compression: str | None, separator: str,
                skip: int = 0) -> list[Any]:
    """The first row's fields as written (pandas would rename a repeated name 'a.1'), after
    ``skip`` lines."""
    first = pd.read_csv(path, nrows=1, header=None, dtype=str, keep_default_na=False,
                        compression=compression, sep=separator, encoding="utf-8-sig",
                        skiprows=skip)
    return list(first.iloc[0]) if len(first) else list(first.columns)


#: The line a spreadsheet reads as the field separator ("sep=;"), before the header.
_SEPARATOR_LINE = re.compile(r"^sep=(.)$", re.IGNORECASE)


def _separator_line(header: list[Any]) -> str | None:
    """The separator a first line of "sep=X" states (read with commas, "sep=," is two
    fields), or None for a header."""
    fields = ["" if f is None or (isinstance(f, float) and f != f) else str(f) for f in header]
    if [f.strip().lower() for f in fields] == ["sep=", ""]:
        return ","
    found = _SEPARATOR_LINE.match(fields[0].strip(" \r")) if len(fields) == 1 else None
    return found.group(1) if found else None


def _header(path: Path, compression: str | None,
            rename: Mapping[str, str] | None = None) -> tuple[pd.Index, str, int]:
    """The header's column names (cleaned: see clean_header), the file's field separator and
    the lines before the header: a comma and none, unless the header is one name holding
    another separator (a semicolon-separated export read as CSV would otherwise be one column
    named 'person_id;date;kind'), or the file starts with a spreadsheet's "sep=;" line, which
    states the separator and is skipped."""
    failure: str | None = None
    skip = 0
    try:
        header = _raw_header(path, compression, ",")
        separator = ","
        stated = _separator_line(header)
        if stated is not None:
            separator, skip = stated, 1
            header = _raw_header(path, compression, separator, skip)
        elif len(header) == 1:
            name = str(header[0])
            found = max(_OTHER_SEPARATORS, key=name.count)
            if name.count(found):
                header, separator = _raw_header(path, compression, found), found
    except pd.errors.EmptyDataError:
        failure = "the file is empty (no header row)"
    except UnicodeDecodeError:
        failure = "not a readable CSV file (not UTF-8 text; save it as UTF-8)"
    except pd.errors.ParserError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "bad CSV"
        failure = f"not a readable CSV file ({first_line})"
    if failure is not None:
        # Raised here, not in the except block: there the reader's error stayed on as
        # __context__, and a UnicodeDecodeError's args hold the bytes read (children's ids).
        raise InputError(f"{path}: {failure}")
    return pd.Index(clean_header(header, str(path), rename), dtype=object), separator, skip


def _input_format(path: Path) -> str:
    """The format of an input file that exists and is a file (refused plainly otherwise)."""
    kind = file_format(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if not path.is_file():
        raise IsADirectoryError(f"{path}: not a file")
    return kind


def header_names(path: str | Path, rename: Mapping[str, str] | None = None) -> list[str]:
    """The column names of a CSV or Parquet file (cleaned: see clean_header), read alone."""
    path = Path(path)
    kind = _input_format(path)
    if kind == PARQUET:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("reading Parquet needs pyarrow: pip install 'yosmodel[arrow]'") \
                from None
        try:
            return clean_header(pq.read_schema(path).names, str(path), rename)
        except pa.ArrowException:
            raise InputError(f"{path}: not a readable Parquet file") from None
    compression = _COMPRESSION.get(path.suffix.lower())
    try:
        return [str(c) for c in _header(path, compression, rename)[0]]
    except _DECOMPRESSION_ERRORS as error:
        if compression is None:
            raise
        raise _not_decompressed(path, compression, error) from None


def _read_csv(path: Path, wanted: Mapping[str, Sequence[str]] | None,
              progress: ProgressFactory, rename: Mapping[str, str] | None = None
              ) -> pd.DataFrame:
    compression = _COMPRESSION.get(path.suffix.lower())
    header, separator, skip = _header(path, compression, rename)
    if wanted:
        _check_columns(path, [str(c) for c in header], wanted)
    _refuse_ragged_rows(path, compression, len(header), separator, skip)
    columns = _needed(wanted)
    text = [n for n in TEXT_COLUMNS if n in header]
    chunks = _csv_chunks(path, header, columns, compression, separator, text, progress, skip)
    mixed = _text_in_some_chunks_only(chunks)
    if mixed:
        # Each chunk's types are guessed on its own rows (and, with low_memory, each quarter
        # million rows of a chunk): service codes 101 in the first rows and 'Y12' later made
        # 101 a number there and the text '101' after it, two groups of one service. Read
        # again with those columns as text throughout.
        chunks = _csv_chunks(path, header, columns, compression, separator, text + mixed,
                             progress, skip)
    if not chunks:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns or header})
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    for name in TEXT_COLUMNS:
        if name in frame.columns:
            frame[name] = frame[name].str.strip()
    return frame


def _csv_chunks(path: Path, header: pd.Index, columns: list[str] | None,
                compression: str | None, separator: str, text: list[str],
                progress: ProgressFactory, skip: int = 0) -> list[pd.DataFrame]:
    chunks = []
    first_line: str | None = None
    try:
        with open(path, "rb") as handle, progress(f"reading {path.name}",
                                                  total=path.stat().st_size, unit="B") as bar:
            for chunk in pd.read_csv(handle, header=0, names=list(header), usecols=columns,
                                     compression=compression, sep=separator, skiprows=skip,
                                     dtype={n: str for n in text}, low_memory=False,
                                     chunksize=_CSV_ROWS_PER_CHUNK):
                chunks.append(chunk)
                bar.update(handle.tell())
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        # The parser's message gives a line number and field counts, never field contents.
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "bad CSV"
    if first_line is not None:  # raised outside the except block, as in _header
        raise InputError(f"{path}: not a readable CSV file ({first_line})")
    return chunks


def _holds_text(column: pd.Series) -> bool:
    if column.dtype == object:
        return pd.api.types.infer_dtype(column, skipna=True) in ("string", "mixed",
                                                                 "mixed-integer", "bytes")
    return pd.api.types.is_string_dtype(column.dtype)


def _text_in_some_chunks_only(chunks: list[pd.DataFrame]) -> list[str]:
    """Columns read as text in some chunks and as numbers (or truth values, or dates) in
    others; chunks where the column is empty say nothing."""
    if len(chunks) < 2:
        return []
    mixed = []
    for name in chunks[0].columns:
        kinds = {_holds_text(chunk[name]) for chunk in chunks if chunk[name].notna().any()}
        if len(kinds) > 1:
            mixed.append(str(name))
    return mixed


def _ragged_rows(path: Path, compression: str | None, fields: int,
                 separator: str = ",", skip: int = 0) -> int | None:
    """How many records have another number of fields than the header (pyarrow's parser,
    fast); None when pyarrow cannot tell (not installed, a zip file)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pc
    except ImportError:
        return None
    if compression == "zip":
        return None
    bad = 0

    def count(row: Any) -> str:
        nonlocal bad
        bad += 1
        return "skip"
    first = "f0"
    # One thread, and the reader closed before returning: a streaming reader left to the
    # interpreter's final teardown can abort the process at exit from its background thread
    # ("terminate called without an active exception", apache/arrow#34314), which turned a
    # one-line usage error into exit code -6 now and then.
    try:
        with pa.input_stream(str(path), compression="detect") as stream:
            reader = pc.open_csv(stream, read_options=pc.ReadOptions(
                column_names=[f"f{i}" for i in range(fields)], skip_rows=1 + skip,
                use_threads=False),
                parse_options=pc.ParseOptions(delimiter=separator, invalid_row_handler=count),
                convert_options=pc.ConvertOptions(include_columns=[first],
                                                  column_types={first: pa.string()}))
            try:
                for _ in reader:
                    pass
            finally:
                reader.close()
                del reader
    except (pa.ArrowException, OSError):
        return None
    return bad


def _refuse_ragged_rows(path: Path, compression: str | None, fields: int,
                        separator: str = ",", skip: int = 0) -> None:
    """A row with more or fewer fields than the header is a broken export (an unquoted comma,
    a cut line): its values would land in the wrong columns or be silently dropped. Refused
    with the line number, never the line."""
    if _ragged_rows(path, compression, fields, separator, skip) == 0:
        return
    import csv
    import io

    opener = {"gzip": "gzip", "bz2": "bz2", "xz": "lzma", "zstd": None}.get(compression or "")
    if compression == "zip":
        import zipfile

        archive = zipfile.ZipFile(path)
        raw: Any = archive.open(archive.namelist()[0])
    elif opener:
        import importlib

        raw = importlib.import_module(opener).open(path, "rb")
    elif compression is None:
        raw = open(path, "rb")  # noqa: SIM115 - closed below
    else:
        return  # pyarrow read it and found no ragged row; nothing else can look
    with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", errors="replace") as text:
        reader = csv.reader(text, delimiter=separator)
        for _ in range(1 + skip):
            next(reader, None)
        for record in reader:
            if len(record) != fields and record:
                raise InputError(f"{path.name}: line {reader.line_num} has {len(record)} fields "
                                 f"where the header has {fields}; fix the file (a value with a "
                                 "comma in it must be in double quotes)")


def _read_parquet(path: Path, wanted: Mapping[str, Sequence[str]] | None,
                  progress: ProgressFactory, rename: Mapping[str, str] | None = None
                  ) -> pd.DataFrame:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'yosmodel[arrow]'") from None
    try:
        # INT96 timestamps (Spark, Hive, Impala) read as nanoseconds wrap past 2262: the
        # 9999-12-31 of an open-ended order came back as 1816-03-29. Microseconds reach 9999.
        parquet = pq.ParquetFile(path, coerce_int96_timestamp_unit="us")
    except pa.ArrowException:
        raise InputError(f"{path}: not a readable Parquet file") from None
    written = parquet.schema_arrow.names
    names = clean_header(written, str(path), rename)
    if wanted:
        _check_columns(path, names, wanted)
    needed = _needed(wanted)
    columns = None if needed is None else [written[names.index(n)] for n in needed]
    pieces = []
    with progress(f"reading {path.name}", total=parquet.metadata.num_rows, unit="rows") as bar:
        for group in range(parquet.num_row_groups):
            try:
                piece = parquet.read_row_group(group, columns=columns)
            except (pa.ArrowException, OSError):
                # pyarrow's message ('Unexpected end of stream') names no file
                raise InputError(f"{path}: not a readable Parquet file (row group {group + 1} "
                                 f"of {parquet.num_row_groups} is damaged); copy or export it "
                                 "again") from None
            pieces.append(piece)
            bar.advance(piece.num_rows)
    table = pa.concat_tables(pieces) if pieces else parquet.schema_arrow.empty_table()
    if columns is not None and not pieces:
        table = table.select(columns)
    text = {w for w, n in zip(written, names) if n in TEXT_COLUMNS}
    frame = _trimmed_text_ids(_whole_decimals_as_integers(table), text).to_pandas()
    stored = [n for n in frame.index.names if n is not None and n in written]
    if stored:
        # A frame saved with set_index("person_id") comes back with the ids as its index:
        # they are a column of the file, and the commands read columns.
        frame = frame.reset_index(level=stored)
    # by name: pandas' own metadata may turn a stored index column into the index
    renamed = {w: n for w, n in zip(written, names) if w != n}
    return frame.rename(columns=renamed) if renamed else frame


def _trimmed_text_ids(table: Any, text: set[str]) -> Any:
    """Text person ids without the spaces around them, as CSV ids are read (a CHAR(n) column
    of a database pads them): one file padded and the other not were two people. ``text``: the
    names, as written in the file, of the columns read under a text id's name."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for position, field in enumerate(table.schema):
        if field.name in text and (pa.types.is_string(field.type)
                                   or pa.types.is_large_string(field.type)):
            table = table.set_column(position, field,
                                     pc.utf8_trim_whitespace(table.column(position)))
    return table


def _whole_decimals_as_integers(table: Any) -> Any:
    """Decimal columns of scale 0 as int64 where every value fits: databases export integer
    columns (counts, ids) as DECIMAL(p, 0), which pandas holds as Python Decimals (object),
    and a count column of them was refused as 'dtype object'."""
    import pyarrow as pa

    for position, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type) and field.type.scale == 0:
            try:
                column = table.column(position).cast(pa.int64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue  # some value too large for int64: left as written
            table = table.set_column(position, field.with_type(pa.int64()), column)
    return table


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Writes CSV or Parquet, chosen by the file name."""
    kind = output_format(path)
    if kind == PARQUET:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError("writing Parquet needs pyarrow: pip install 'yosmodel[arrow]'") \
                from None
        _one_type_per_column(frame).to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)


def _one_type_per_column(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every key column of mixed types as text: integer keys (service codes,
    years) beside the total row's 'All' are a column Parquet cannot store as either type.
    A new frame when one is changed; the caller's is untouched."""
    mixed = []
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            values = column.cat.categories
        elif column.dtype == object:
            values = column.dropna()
        else:
            continue
        if len({type(v) for v in values}) > 1:
            mixed.append(name)
    if not mixed:
        return frame
    frame = frame.copy()
    for name in mixed:
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            frame[name] = column.cat.rename_categories([str(v) for v in
                                                        column.cat.categories])
        else:
            frame[name] = column.map(lambda v: v if pd.isna(v) else str(v))
    return frame


def terminal_table(frame: pd.DataFrame, decimals: int = 3) -> str:
    """A table for people: counts with thousands separators, rates to ``decimals`` places,
    missing values as '-'."""
    formatters: dict[str, Any] = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            formatters[name] = "{:,}".format
        elif pd.api.types.is_float_dtype(dtype):
            formatters[name] = (lambda v: "-" if pd.isna(v) else f"{v:.{decimals}f}")
    return frame.to_string(index=False, formatters=formatters, na_rep="-")
