"""The readers of the real corpora (rnncore.corpora), each on a small file in its publisher's format
written here: CoNLL-2003 / WNUT-17 / Universal NER columns, SST-5 and SST-2, Tatoeba pairs, WikiText,
names, a CSV series. Every sentence below was written for these tests."""

from __future__ import annotations

import re

import pytest

from rnncore.corpora import (
    iob_to_bio,
    read_conll,
    read_names,
    read_series,
    read_sst2,
    read_sst5,
    read_tatoeba,
    read_wikitext,
    write_conll,
)

LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


def write(tmp_path, name: str, text: str, newline: str = "\n"):
    """``text`` saved as UTF-8 under ``tmp_path/name``, its line ends written as ``newline``."""
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def error_of(reader, path, **options) -> str:
    with pytest.raises(ValueError) as err:
        reader(path, **options)
    return str(err.value)


# ------------------------------------------------------------------------------------------- IOB -> BIO


def test_iob_to_bio_starts_every_entity_with_b():
    assert iob_to_bio(["I-PER", "I-PER", "O", "I-LOC", "B-LOC"]) == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC"]
    # an I- after an entity of another type starts a new one; after O too
    assert iob_to_bio(["B-ORG", "I-LOC", "I-LOC", "O", "I-LOC"]) == ["B-ORG", "B-LOC", "I-LOC", "O", "B-LOC"]
    assert iob_to_bio(["I-MISC", "I-PER", "I-PER", "B-PER", "I-PER"]) == ["B-MISC", "B-PER", "I-PER", "B-PER", "I-PER"]
    bio = ["O", "B-PER", "I-PER", "B-PER", "B-LOC", "I-LOC", "O"]
    assert iob_to_bio(bio) == bio  # a no-op on BIO
    assert iob_to_bio([]) == []


# ---------------------------------------------------------------------------------------- CoNLL columns


def test_two_column_files_round_trip_through_write_conll(tmp_path):
    sentences = [
        (["Maria", "Lopez", "moved", "to", "Porto", "."], ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]),
        (["The", "Blue", "Owl", "Bakery", "opened", "in", "Leeds"], ["O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "B-LOC"]),
        (["Rain", "again", "!"], ["O", "O", "O"]),
        (["Ana", "met", "Ben"], ["B-PER", "O", "B-PER"]),
    ]
    path = tmp_path / "round.conll"
    write_conll(path, sentences)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Maria B-PER\nLopez I-PER\n") and text.count("\n\n") == 4 and text.endswith("Ben B-PER\n\n")
    assert read_conll(path) == sentences
    assert read_conll(path, labels=LABELS) == sentences
    write_conll(path, [])
    assert path.read_text(encoding="utf-8") == ""


def test_write_conll_refuses_what_it_could_not_read_back(tmp_path):
    out = tmp_path / "out.conll"
    with pytest.raises(ValueError, match="sentence 1: 2 tokens but 1 tags"):
        write_conll(out, [(["Hi"], ["O"]), (["Tom", "left"], ["B-PER"])])
    with pytest.raises(ValueError, match=r"sentence 0: token 'Le Mans' is empty or contains whitespace"):
        write_conll(out, [(["Le Mans"], ["B-LOC"])])
    with pytest.raises(ValueError, match=r"sentence 0: token '' is empty"):
        write_conll(out, [([""], ["O"])])
    with pytest.raises(ValueError, match=r"sentence 0: malformed tag 'PERSON'"):
        write_conll(out, [(["Tom"], ["PERSON"])])
    assert not out.exists()


def test_conll_2003_four_columns_docstart_iob1_and_blank_lines(tmp_path):
    path = write(tmp_path, "eng.train", (
        "-DOCSTART- -X- -X- O\n"
        "\n"
        "Lena NNP B-NP I-PER\n"
        "Ortiz NNP I-NP I-PER\n"
        "visited VBD B-VP O\n"
        "Oslo NNP B-NP I-LOC\n"
        "Bergen NNP I-NP B-LOC\n"
        ". . O O\n"
        "\n"
        "\n"  # two blank lines are one boundary
        "-DOCSTART- -X- -X- O\n"  # a new document closes the sentence before it
        "Fernhill NNP B-NP I-ORG\n"
        "rose VBD B-VP O\n"
        "-DOCSTART- -X- -X- O\n"
        "Quiet JJ B-NP O\n"
        "day NN I-NP O"  # no line end after the last line
    ))
    assert read_conll(path) == [
        (["Lena", "Ortiz", "visited", "Oslo", "Bergen", "."], ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "O"]),
        (["Fernhill", "rose"], ["B-ORG", "O"]),
        (["Quiet", "day"], ["O", "O"]),
    ]


def test_conll_tabs_spaces_and_windows_line_ends_read_alike(tmp_path):
    spaces = write(tmp_path, "spaces.conll", "Ravi B-PER\nsings O\n\nin O\nGoa B-LOC\n")
    tabs = write(tmp_path, "tabs.conll", "Ravi\tB-PER\nsings\tO\n\nin\tO\nGoa\tB-LOC\n", newline="\r\n")
    expected = [(["Ravi", "sings"], ["B-PER", "O"]), (["in", "Goa"], ["O", "B-LOC"])]
    assert read_conll(spaces) == read_conll(tabs) == expected
    # TAB-separated, a token may hold a space (WNUT-17 writes one a line); space-separated, the first
    # column is the token and the last the tag
    assert read_conll(write(tmp_path, "tok.conll", "Le Havre\tB-LOC\n")) == [(["Le Havre"], ["B-LOC"])]


def test_conll_labels_are_checked_after_the_bio_repair_and_name_file_and_line(tmp_path):
    path = write(tmp_path, "dates.conll", "Lunch O\n\non O\nI-DATE I-DATE\nTuesday O\n")
    message = error_of(read_conll, path, labels=LABELS)
    assert message.startswith(f"{path}:4: tag 'B-DATE' is not one of ")  # the I-DATE, repaired, at line 4
    assert "'B-LOC'" in message
    assert read_conll(path) == [(["Lunch"], ["O"]), (["on", "I-DATE", "Tuesday"], ["O", "B-DATE", "O"])]


def test_conll_errors_name_the_file_and_line(tmp_path):
    path = write(tmp_path, "bad.conll", "Tom B-PER\nwaved O\n\n-DOCSTART- -X- O\n\nAnna\n")
    assert error_of(read_conll, path) == f"{path}:6: expected a token and a tag, got 'Anna'"
    path = write(tmp_path, "bad.conll", "Tom B-PER\nwaved O\nhello person\n")
    assert error_of(read_conll, path) == f"{path}:3: malformed tag 'person' (expected O, B-TYPE or I-TYPE)"
    path = write(tmp_path, "bad.conll", "Tom S-PER\n")
    assert error_of(read_conll, path).startswith(f"{path}:1: malformed tag 'S-PER'")
    path = write(tmp_path, "bad.conll", "Tom B-creative-work\n")  # WNUT-17's types need a tag_map
    assert error_of(read_conll, path).startswith(f"{path}:1: malformed tag 'B-creative-work'")
    for empty in ("", "\n\n   \n", "-DOCSTART- -X- -X- O\n\n"):
        path = write(tmp_path, "empty.conll", empty)
        assert error_of(read_conll, path) == f"{path}: no sentences found (expected lines of 'token tag')"


def test_conll_that_is_not_utf8_names_the_file_and_line(tmp_path):
    path = tmp_path / "latin1.conll"
    path.write_bytes("Jos\u00e9 B-PER\n\nS\u00e3o B-LOC\nPaulo I-LOC\n".encode("utf-8")
                     + "\nZ\u00fcrich B-LOC\n".encode("latin-1"))
    with pytest.raises(ValueError) as err:
        read_conll(path)
    assert not isinstance(err.value, UnicodeDecodeError)  # a message for a person, not the codec's
    assert str(err.value) == f"{path}: line 6 is not UTF-8 text (byte 0xfc); save the file as UTF-8"


def test_conll_with_a_byte_order_mark_still_skips_its_docstart(tmp_path):
    path = tmp_path / "bom.conll"
    path.write_bytes(b"\xef\xbb\xbf" + b"-DOCSTART- -X- -X- O\n\nKyoto NNP B-NP I-LOC\n")
    assert read_conll(path) == [(["Kyoto"], ["B-LOC"])]


def test_conll_tag_map_renames_and_drops_types_before_the_repair(tmp_path):
    wnut = {"person": "PER", "location": "LOC", "corporation": "ORG", "group": "ORG", "creative-work": "O",
            "product": "O"}
    path = write(tmp_path, "wnut.conll", (
        "watching\tO\nStar\tB-creative-work\nHarbor\tI-creative-work\nwith\tO\nJude\tB-person\n\n"
        "my\tO\nPixelbook\tB-product\nfrom\tO\nGlimmer\tB-corporation\nLabs\tI-corporation\n\n"
        "Riverside\tB-group\nChoir\tI-group\nin\tO\nNew\tB-location\nPort\tI-location\n"
    ))
    assert read_conll(path, tag_map=wnut) == [
        (["watching", "Star", "Harbor", "with", "Jude"], ["O", "O", "O", "O", "B-PER"]),
        (["my", "Pixelbook", "from", "Glimmer", "Labs"], ["O", "O", "O", "B-ORG", "I-ORG"]),
        (["Riverside", "Choir", "in", "New", "Port"], ["B-ORG", "I-ORG", "O", "B-LOC", "I-LOC"]),
    ]
    # CoNLL-2003 IOB1 with MISC dropped: the I-MISC run becomes O, never a stray I-; the I-PER after it
    # starts an entity
    conll = write(tmp_path, "misc.conll", "Euro NNP B-NP I-MISC\nCup NNP I-NP I-MISC\nstar NN I-NP O\n"
                                           "Kai NNP I-NP I-PER\nBrandt NNP I-NP I-PER\n")
    assert read_conll(conll, tag_map={"MISC": "O"}) == [
        (["Euro", "Cup", "star", "Kai", "Brandt"], ["O", "O", "O", "B-PER", "I-PER"])]
    misc_then_per = write(tmp_path, "touching.conll", "Euro NNP B-NP I-MISC\nKai NNP I-NP I-PER\n")
    assert read_conll(misc_then_per, tag_map={"MISC": "O"}) == [(["Euro", "Kai"], ["O", "B-PER"])]
    # mapped before the repair, two touching types renamed to one read as one entity (as IOB1 writes it)
    assert read_conll(misc_then_per, tag_map={"MISC": "PER"}) == [(["Euro", "Kai"], ["B-PER", "I-PER"])]


UNER = (
    "# newdoc id = weblog-test-0001\n"
    "# sent_id = weblog-test-0001-0001\n"
    "# text = we drove to lake tana with #hikers\n"
    "1\twe\tO\t-\t-\n"
    "2\tdrove\tO\t-\t-\n"
    "3\tto\tO\t-\t-\n"
    "4\tlake\tB-LOC\t-\tannotator1\n"
    "5\ttana\tI-LOC\t-\tannotator1\n"
    "6\twith\tO\t-\t-\n"
    "7\t#\tO\t-\t-\n"
    "8\thikers\tO\t-\t-\n"
    "\n"
    "# sent_id = weblog-test-0001-0002\n"
    "# text = Priya from Orbit Foods said 12\n"
    "1\tPriya\tB-PER\t-\tannotator2\n"
    "2\tfrom\tO\t-\t-\n"
    "3\tOrbit\tB-ORG\t-\tannotator2\n"
    "4\tFoods\tI-ORG\t-\tannotator2\n"
    "5\tsaid\tO\t-\t-\n"
    "6\t12\tO\t-\t-\n"
    "\n"
)


def test_universal_ner_iob2_columns_with_comments(tmp_path):
    path = write(tmp_path, "en_test.iob2", UNER)
    assert read_conll(path, iob2_columns=True, labels=LABELS) == [
        (["we", "drove", "to", "lake", "tana", "with", "#", "hikers"], ["O", "O", "O", "B-LOC", "I-LOC", "O", "O", "O"]),
        (["Priya", "from", "Orbit", "Foods", "said", "12"], ["B-PER", "O", "B-ORG", "I-ORG", "O", "O"]),
    ]
    # read as plain columns, the comment lines are not tokens: the first one fails with its line
    assert error_of(read_conll, path) == f"{path}:1: malformed tag 'weblog-test-0001' (expected O, B-TYPE or I-TYPE)"
    # a row of the iob2 file with a bad tag is reported at its own line
    broken = write(tmp_path, "broken.iob2", UNER.replace("5\ttana\tI-LOC", "5\ttana\tLOC"))
    assert error_of(read_conll, broken, iob2_columns=True).startswith(f"{broken}:8: malformed tag 'LOC'")


# ---------------------------------------------------------------------------------------------- SST


def test_sst5_labels_0_to_4_become_stars_1_to_5(tmp_path):
    path = write(tmp_path, "stsa.fine.train", (
        "4 a warm , clever film that does n't waste a minute\n"
        "0 the plot sinks like a stone\n"
        "\n"
        "2 it 's fine , i guess .  \n"
        "3 lovely\n"
        "1 too long by an hour\n"
    ))
    assert read_sst5(path) == [
        ("a warm , clever film that does n't waste a minute", 5), ("the plot sinks like a stone", 1),
        ("it 's fine , i guess .", 3), ("lovely", 4), ("too long by an hour", 2),
    ]


@pytest.mark.parametrize("bad_line", ["5 too good to be true", "-1 awful", "positive a fine film", "3", "3   ",
                                      "3\ttabbed text", "2.5 half way"])
def test_sst5_errors_name_the_file_and_line(tmp_path, bad_line):
    path = write(tmp_path, "stsa.fine.dev", f"2 an ordinary film\n\n{bad_line}\n")
    assert error_of(read_sst5, path) == f"{path}: line 3: expected 'LABEL SENTENCE' with LABEL 0..4"


def test_sst2_skips_its_header_and_reads_phrases(tmp_path):
    path = write(tmp_path, "sst2.train.tsv", (
        "sentence\tlabel\n"
        "a gentle , funny story \t1\n"
        "never quite lands \t0\n"
        "\n"
        "tabs\tinside\tthe phrase\t1\n"  # the label is the last column
        "dull\t0"
    ))
    assert read_sst2(path) == [("a gentle , funny story", 1), ("never quite lands", 0),
                               ("tabs\tinside\tthe phrase", 1), ("dull", 0)]
    assert read_sst2(write(tmp_path, "header.tsv", "text\tlabel\n")) == []


@pytest.mark.parametrize("bad_line", ["no tab here 1", "a fine phrase\t2", "\t1", "a phrase\t", "a phrase\tpositive"])
def test_sst2_errors_name_the_file_and_line(tmp_path, bad_line):
    path = write(tmp_path, "sst2.dev.tsv", f"sentence\tlabel\ngood fun\t1\n{bad_line}\n")
    assert error_of(read_sst2, path) == f"{path}: line 3: expected 'text<TAB>0|1'"


# ----------------------------------------------------------------------------------------- Tatoeba


def test_tatoeba_pairs_ignore_the_attribution_column(tmp_path):
    path = write(tmp_path, "eng-fra.tsv", (
        "Look up.\tLève les yeux.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1 (someone) & #2 (someone else)\n"
        "I'm cold.\tJ'ai froid.\n"
        "\n"
        "  Tom isn't here.  \t  Tom n'est pas ici.  \n"
    ), newline="\r\n")
    assert read_tatoeba(path) == [("Look up.", "Lève les yeux."), ("I'm cold.", "J'ai froid."),
                                  ("Tom isn't here.", "Tom n'est pas ici.")]


@pytest.mark.parametrize("bad_line", ["Only English here.", "\tSeulement du français.", "Only English.\t  "])
def test_tatoeba_errors_name_the_file_and_line(tmp_path, bad_line):
    path = write(tmp_path, "pairs.tsv", f"Hi.\tSalut.\n{bad_line}\n")
    assert error_of(read_tatoeba, path) == f"{path}: line 2: expected 'English<TAB>French'"


def test_a_unicode_line_separator_inside_a_line_does_not_split_it(tmp_path):
    # str.splitlines() also cuts at U+2028, U+0085 and form feeds; a file's lines end only at \n, \r\n, \r
    path = write(tmp_path, "pairs.tsv", "One\u2028line.\tUne\u0085ligne.\nPage\x0cbreak.\tSaut.\nbad line\n")
    assert error_of(read_tatoeba, path) == f"{path}: line 3: expected 'English<TAB>French'"
    path = write(tmp_path, "pairs.tsv", "One\u2028line.\tUne\u0085ligne.\nPage\x0cbreak.\tSaut.\n")
    assert read_tatoeba(path) == [("One\u2028line.", "Une\u0085ligne."), ("Page\x0cbreak.", "Saut.")]


# ---------------------------------------------------------------------------------------- WikiText


def test_wikitext_keeps_headings_and_paragraphs_as_written(tmp_path):
    path = write(tmp_path, "wiki.valid.tokens", (
        " \n"
        " = Harbor Seal Point = \n"
        " \n"
        " Harbor Seal Point is a <unk> headland of 1 @,@ 200 metres , first @-@ mapped in 1911 . \n"
        " \n"
        " = = Geology = = \n"
        "\n"
        " The rocks are old . They are grey . \n"
    ))
    assert read_wikitext(path) == [
        "= Harbor Seal Point =",
        "Harbor Seal Point is a <unk> headland of 1 @,@ 200 metres , first @-@ mapped in 1911 .",
        "= = Geology = =",
        "The rocks are old . They are grey .",
    ]


# ------------------------------------------------------------------------------------------ names


def test_names_are_lowercased_stripped_and_blank_lines_skipped(tmp_path):
    path = write(tmp_path, "names.txt", "Emmeline\n  noor \n\nZOE\nbo\n", newline="\r\n")
    assert read_names(path) == ["emmeline", "noor", "zoe", "bo"]


def test_names_with_a_byte_order_mark_do_not_keep_it(tmp_path):
    path = tmp_path / "names.txt"
    path.write_bytes(b"\xef\xbb\xbf" + b"ada\nlin\n")
    assert read_names(path) == ["ada", "lin"]


# ----------------------------------------------------------------------------------------- series


def test_series_reads_dates_and_values_under_a_header(tmp_path):
    path = write(tmp_path, "levels.csv", '"Day","Level"\n"2001-01-01",3.5\n"2001-01-02",-0.25\n\n'
                                          '"2001-01-03",12\n"2001-01-04", 7e-1', newline="\r\n")
    dates, values = read_series(path)
    assert dates == ["2001-01-01", "2001-01-02", "2001-01-03", "2001-01-04"]
    assert values == [3.5, -0.25, 12.0, 0.7]
    assert read_series(write(tmp_path, "header.csv", '"Month","Count"\n')) == ([], [])


@pytest.mark.parametrize(("bad_line", "shown"), [('"2001-01-03",?0.2', "'?0.2'"), ('"2001-01-03",', "''"),
                                                 ('"2001-01-03"', "'\"2001-01-03\"'")])
def test_series_errors_name_the_file_line_and_value(tmp_path, bad_line, shown):
    path = write(tmp_path, "levels.csv", f'"Day","Level"\n"2001-01-01",3.5\n{bad_line}\n')
    assert error_of(read_series, path) == f"{path}: line 3: {shown} is not a number"


# ------------------------------------------------------------------------------------ every reader


@pytest.mark.parametrize("reader", [read_sst5, read_sst2, read_tatoeba, read_wikitext, read_names, read_series])
def test_every_reader_names_the_file_and_line_of_bytes_that_are_not_utf8(tmp_path, reader):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"header\tline\n" + b"2 ok\tfine\n" + "3 caf\u00e9\t1\n".encode("latin-1"))
    message = error_of(reader, path)
    assert re.fullmatch(re.escape(f"{path}: line 3 is not UTF-8 text (byte 0xe9); save the file as UTF-8"), message)


def test_a_byte_order_mark_is_not_part_of_the_first_line(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + b"4 a bright , brave film\n")
    assert read_sst5(path) == [("a bright , brave film", 5)]
    path.write_bytes(b"\xef\xbb\xbf" + b"Wait!\tAttends !\n" + b"\xff\n")
    assert error_of(read_tatoeba, path).startswith(f"{path}: line 2 is not UTF-8 text (byte 0xff)")
