"""50 asks at once from threads against one loaded Index: each answer is the answer the question gets alone."""
from __future__ import annotations

import json
import random
import threading
import time
from datetime import date

import numpy as np

QUESTIONS = [
    "Can we train a commercial AI model on scraped news articles?",                    # English
    "Is reproducing a work to train an AI model an infringement of copyright?",
    "Doanh nghiệp có được sử dụng tác phẩm đã công bố để huấn luyện trí tuệ nhân tạo không?",   # Vietnamese
    "Quyền tác giả đối với tác phẩm báo chí được bảo hộ như thế nào?",
    "co duoc dung tac pham de huan luyen tri tue nhan tao khong",                     # without diacritics
    "thoi han bao ho quyen tac gia",
    "Điều 7 khoản 5 Luật Sở hữu trí tuệ",                                             # exact references
    "What does Article 37b of Decree 17 say?",
    "What are the traffic fines for speeding on a motorway?",                         # out of scope
    "Công thức nấu phở bò ngon nhất là gì?",
]
AS_OF = date(2026, 11, 28)


def ask(index, question: str) -> tuple[str, float]:
    from assistant.answer import answer

    t0 = time.perf_counter()
    out = answer(index, question, AS_OF, 5).to_json()
    return json.dumps(out, ensure_ascii=False, sort_keys=True), time.perf_counter() - t0


def test_fifty_concurrent_asks_answer_as_alone(index):
    solo = {q: ask(index, q) for q in QUESTIONS}
    alone = {q: a for q, (a, _) in solo.items()}
    assert sum(json.loads(a)["refused"] for a in alone.values()) >= 2        # the mix really has refusals
    assert sum(not json.loads(a)["refused"] for a in alone.values()) >= 6

    asks = [QUESTIONS[i % len(QUESTIONS)] for i in range(50)]
    random.Random(7).shuffle(asks)
    results: list = [None] * len(asks)
    errors: list[BaseException] = []
    start = threading.Barrier(len(asks))

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = ask(index, asks[i])
        except BaseException as e:          # noqa: BLE001 - every failure is counted, none hidden
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(asks))]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    wall = time.perf_counter() - t0

    assert not errors, errors[:3]
    assert all(r is not None for r in results)
    differ = [q for q, (got, _) in zip(asks, results) if got != alone[q]]
    assert not differ, f"{len(differ)} answers differ from the question asked alone: {differ[:3]}"
    lat = np.array([s for _, s in results]) * 1000
    one = np.array([s for _, s in solo.values()]) * 1000
    print(f"\n50 concurrent asks, 0 errors, all identical to alone; wall {wall:.1f} s; per-ask latency "
          f"p50 {np.percentile(lat, 50):.0f} ms, p95 {np.percentile(lat, 95):.0f} ms (one at a time: p50 "
          f"{np.percentile(one, 50):.0f} ms, p95 {np.percentile(one, 95):.0f} ms)")
