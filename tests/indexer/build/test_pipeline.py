"""build_index: full and incremental runs, duplicates, broken files, and killed runs."""

import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.build.pipeline import build_index
from indexer.storage import generations as store
from searchapp.engine.search import SearchParams, search
from tests.support import CORPUS, EDGE, open_context


def post(title: str, body: str, date: str = "2024-01-02") -> str:
    return f"---\ntitle: {title}\ndate: {date}\nauthor: 测试\n---\n<p>{body}</p>\n"


def titles(index_dir: Path, q: str) -> list[str]:
    with open_context(index_dir) as ctx:
        return sorted(h.title for h in search(ctx, SearchParams(q=q, per_page=100)).hits)


@pytest.fixture()
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.md").write_text(post("关于促进就业的通知", "稳就业是头等大事。"), encoding="utf-8")
    (folder / "b.md").write_text(post("关于优化营商环境的意见", "持续优化营商环境。"), encoding="utf-8")
    return folder


def test_full_then_unchanged_run(src, tmp_path):
    ix = tmp_path / "ix"
    first = build_index([src], ix, workers=1)
    assert (first.full, first.added, first.documents) == (True, 2, 2)
    again = build_index([src], ix, workers=1)
    assert (again.full, again.added, again.updated, again.unchanged, again.removed) == \
        (False, 0, 0, 2, 0)


def test_incremental_add_change_delete(src, tmp_path):
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    (src / "c.md").write_text(post("数字经济发展规划", "发展数字经济。"), encoding="utf-8")
    (src / "a.md").write_text(post("关于促进高质量就业的通知", "稳就业。"), encoding="utf-8")
    (src / "b.md").unlink()
    report = build_index([src], ix, workers=1)
    assert (report.added, report.updated, report.removed, report.documents) == (1, 1, 1, 2)
    assert titles(ix, "就业") == ["关于促进高质量就业的通知"]
    assert titles(ix, "营商环境") == []
    assert titles(ix, "数字经济") == ["数字经济发展规划"]


def test_abbreviations_defined_in_documents_survive_an_incremental_run(src, tmp_path):
    # Two documents define 通航 (以下简称通航); an update reads the others' pairs back
    # from the manifest.
    for name in ("c", "d"):
        (src / f"{name}.md").write_text(post(
            f"通用航空发展意见{name}", "发展通用航空（以下简称通航）。通航产业。"), encoding="utf-8")
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    (src / "a.md").write_text(post("关于促进高质量就业的通知", "稳就业。"), encoding="utf-8")
    assert build_index([src], ix, workers=1).updated == 1
    mined = store.current(ix).read_json(store.RELATIONS, {})["abbreviations"]
    assert [m[:2] for m in mined] == [["通航", "通用航空"]]


def test_touch_without_change_is_not_reparsed(src, tmp_path):
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    os.utime(src / "a.md", (time.time() + 10, time.time() + 10))
    report = build_index([src], ix, workers=1)
    assert (report.updated, report.unchanged) == (0, 2)


def test_touching_one_file_reindexes_exactly_one(src, tmp_path):
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    with open(src / "b.md", "a", encoding="utf-8") as fh:
        fh.write("<p>新增一段。</p>\n")
    report = build_index([src], ix, workers=1)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)


def test_exact_duplicates_are_indexed_once_and_promoted_when_the_first_goes(src, tmp_path):
    ix = tmp_path / "ix"
    shutil.copy(src / "a.md", src / "z-copy.md")
    report = build_index([src], ix, workers=1)
    assert report.duplicates == [("z-copy.md", "a.md")]
    assert report.documents == 2
    (src / "a.md").unlink()
    report = build_index([src], ix, workers=1)
    assert report.duplicates == [] and report.documents == 2
    with open_context(ix) as ctx:
        assert [h.path for h in search(ctx, SearchParams(q="就业")).hits] == ["z-copy.md"]


def test_broken_files_are_reported_and_skipped(tmp_path):
    ix = tmp_path / "ix"
    report = build_index([EDGE], ix, workers=1)
    reasons = dict(report.skipped)
    assert reasons["binary.md"] == "binary file"
    assert reasons["empty.md"] == "empty file"
    assert report.documents >= 5        # the GBK pages, the JSON Lines rows, the rest
    assert titles(ix, "双随机")          # GBK text decoded and searchable


def test_full_build_switches_generation_and_cleans_up(src, tmp_path):
    ix = tmp_path / "ix"
    first = build_index([src], ix, workers=1)
    (ix / "gen-000099.tmp").mkdir()        # a leftover from a killed build
    second = build_index([src], ix, full=True, workers=1)
    assert second.generation != first.generation
    assert store.current(ix).name == second.generation
    assert not list(ix.glob("*.tmp"))


def test_workers_give_the_same_index(tmp_path):
    one = build_index([CORPUS], tmp_path / "one", workers=1)
    two = build_index([CORPUS], tmp_path / "two", workers=2)
    assert (one.documents, one.skipped) == (two.documents, two.skipped)
    assert titles(tmp_path / "one", "个人所得税") == titles(tmp_path / "two", "个人所得税")


def _big_corpus(folder: Path, n: int) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))[:4]]
    for i in range(n):
        body = texts[i % len(texts)].split("---", 2)[-1]
        (folder / f"doc{i:04d}.md").write_text(
            post(f"第{i}号测试文件", f"编号{i}。" + body), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.5, 1.5])
@pytest.mark.parametrize("group", [True, False], ids=["kill-group", "kill-parent-only"])
def test_killed_reindex_leaves_the_old_index_serving(tmp_path, src, delay, group):
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    before, old_generation = titles(ix, "营商环境"), store.current(ix).name
    big = tmp_path / "big"
    big.mkdir()
    _big_corpus(big, 6000)             # several seconds of work: killed well before the end
    code = ("import sys; from pathlib import Path; from indexer.build.pipeline import build_index; "
            "build_index([Path(sys.argv[1])], Path(sys.argv[2]), full=True, workers=2)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(big), str(ix)], start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(ix.glob("*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)              # until the new generation is being written
    time.sleep(delay)
    assert proc.poll() is None, "the build ended before it could be killed"
    if group:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        proc.kill()                   # workers are left to notice their parent died
    proc.wait()
    assert store.current(ix).name == old_generation
    assert titles(ix, "营商环境") == before            # the old generation still answers
    report = build_index([src], ix, workers=1)         # the next run recovers the lock
    assert report.documents == 2
    assert not list(ix.glob("*.tmp"))


def test_parallel_segments_give_the_serial_result(tmp_path, monkeypatch):
    from indexer.build import pipeline as build

    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 0)
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):
        (src / f"f{i:02d}.md").write_text(post(f"第{i}号文件", f"内容编号{i}，营商环境。"),
                                          encoding="utf-8")
    for name in ("a-first.md", "m-middle.md", "z-last.md"):     # copies that land on both workers
        (src / name).write_text(post("重复的文章", "完全相同的正文。"), encoding="utf-8")
    serial = build_index([src], tmp_path / "serial", workers=1)
    parallel = build_index([src], tmp_path / "parallel", workers=2)
    assert parallel.documents == serial.documents == 13
    assert sorted(parallel.duplicates) == sorted(serial.duplicates) == [
        ("m-middle.md", "a-first.md"), ("z-last.md", "a-first.md")]
    assert titles(tmp_path / "parallel", "营商环境") == titles(tmp_path / "serial", "营商环境")
    # incremental, still in parallel: change, delete (the original of the copies), add
    (src / "f00.md").write_text(post("第0号文件（修订）", "修订后的内容。"), encoding="utf-8")
    (src / "a-first.md").unlink()
    (src / "new.md").write_text(post("新增文件", "新增的内容。"), encoding="utf-8")
    report = build_index([src], tmp_path / "parallel", workers=2)
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert report.duplicates == [("z-last.md", "m-middle.md")]
    assert report.documents == 14          # 12 numbered + the new one + one of the copies
    assert titles(tmp_path / "parallel", "重复的文章") == ["重复的文章"]
    assert titles(tmp_path / "parallel", "修订") == ["第0号文件（修订）"]


def _reindex_command(big: Path, ix: Path, limit_bytes: int | None = None) -> subprocess.Popen:
    """``policy-search reindex --full`` in a child process (optionally with RLIMIT_FSIZE, so
    writing beyond ``limit_bytes`` fails as on a full disk)."""
    def limit():
        if limit_bytes:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from searchapp.cli import main; sys.exit(main())",
         "reindex", str(big), "--index-dir", str(ix), "--full", "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit)


def _workers_of(pid: int, timeout: float = 30) -> list[int]:
    """The build worker processes of ``pid`` (its children), once they have started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        found = [int(c) for c in children.read_text().split()] if children.exists() else []
        if len(found) >= 2:
            return found
        time.sleep(0.05)
    raise AssertionError("no build workers started")


def _old_index_intact(ix: Path, generation: str, before: list[str]) -> None:
    assert store.current(ix).name == generation
    assert titles(ix, "营商环境") == before
    assert not list(ix.glob("*.tmp")) and not list(ix.glob("gen-*.tmp"))


@pytest.mark.slow
def test_a_killed_build_worker_fails_the_reindex_with_its_name_and_file(tmp_path, src):
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    before, generation = titles(ix, "营商环境"), store.current(ix).name
    big = tmp_path / "big"
    big.mkdir()
    _big_corpus(big, 1500)
    proc = _reindex_command(big, ix)
    worker = _workers_of(proc.pid)[0]
    time.sleep(0.5)
    started = time.monotonic()
    os.kill(worker, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and time.monotonic() - started < 60
    assert re.search(rf"build worker \d \(pid {worker}\) was killed by SIGKILL", err), err
    assert re.search(r"(while reading doc\d{4}\.md|while writing its segment|before taking a file)",
                     err), err
    assert "The live index is unchanged" in err and "Traceback" not in err
    _old_index_intact(ix, generation, before)
    report = build_index([big], ix, full=True, workers=2)       # the next run succeeds
    assert report.documents == 1500


@pytest.mark.slow
def test_a_full_disk_fails_the_reindex_and_keeps_the_old_index(tmp_path, src):
    ix = tmp_path / "ix"
    build_index([src], ix, workers=1)
    before, generation = titles(ix, "营商环境"), store.current(ix).name
    big = tmp_path / "big"
    big.mkdir()
    _big_corpus(big, 600)
    proc = _reindex_command(big, ix, limit_bytes=300_000)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "File too large" in err and "cannot write the index" in err, err
    assert "Traceback" not in err
    _old_index_intact(ix, generation, before)
    assert build_index([big], ix, full=True, workers=2).documents == 600
