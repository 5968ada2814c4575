"""A worker process owned by the server: long jobs run off the server's interpreter, one at a time.

Why a process: a Streamlit server runs every visitor's page script as a thread of one Python
interpreter. Training in one more thread of it shares the GIL with all of them (each batch's Python
glue between torch calls holds it), so thirty visitors' edits waited on a visitor's live run. A job in
a :class:`Worker` runs in a separate interpreter; the server only relays its progress.

Why "spawn": forking a process that holds Streamlit's event loop and torch's thread pool copies locks
held by threads that do not exist in the child (a deadlock waiting to happen); a spawned child starts a
fresh interpreter and imports only what the job needs (never Streamlit).

The worker is started on the first :meth:`Worker.submit`, kept for the next job, and ends after
``idle_exit_s`` without work (its memory goes back to the host) or when the server exits. The server
side talks to it over two pipes: jobs and stop requests one way, progress and results the other. An
owner thread in the server reads the results and keeps watch:

- a job whose reader has not called :meth:`Job.heartbeat` for ``stale_after_s`` is asked to stop
  ("abandoned": the visitor's tab is gone, or its script no longer reads the updates);
- a job's ``policy`` is asked every tick whether to stop it now (a fair share used while others wait);
- a job that does not stop within ``stop_grace_s`` of being asked, or a worker that dies (killed, out
  of memory), ends the job with an error that says so; the next job starts a fresh worker.

Every job ends in :meth:`Job.stop` or :meth:`Job.wait` returning, never a hang, and its ``on_end``
callbacks run once, whatever ended it (a page gives its turn back there).

In the child, a job is ``fn(payload, channel)``: a module-level function (sent by reference), which
calls ``channel.report(data)`` as it goes and asks ``channel.should_stop()`` where it can stop. What
``fn`` returns is the job's result. Data crosses the pipes pickled: it comes from this server's own
child process and payloads from the server itself, never from a visitor's file.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait
from typing import Any

from rnncore.turns import lower_thread_priority

TICK_S = 0.25  # how often the owner thread looks at heartbeats, policies and the worker's health


class WorkerDied(RuntimeError):
    """The worker process ended (or was ended) during a job."""


# -- the child ---------------------------------------------------------------------------------------


class JobChannel:
    """The job's side of the pipes, in the worker: report progress, learn whether to stop."""

    def __init__(self, jobs: Connection, updates: Connection, job_id: int):
        self._jobs, self._updates, self.job_id = jobs, updates, job_id
        self.stop_reason: str | None = None  # why the job stopped early; a job may set its own ("time limit")
        self.quitting = False

    def report(self, data: Any) -> None:
        self._updates.send(("progress", self.job_id, data))

    def should_stop(self) -> bool:
        """True once the server has asked this job to stop (read without waiting), or the job set a reason."""
        while self.stop_reason is None and self._jobs.poll():
            message = self._jobs.recv()  # EOFError when the server is gone: the job ends with the process
            if message[0] == "stop" and message[1] == self.job_id:
                self.stop_reason = message[2]
            elif message[0] == "quit":
                self.quitting, self.stop_reason = True, "shutdown"
        return self.stop_reason is not None


def serve(jobs: Connection, updates: Connection, setup: Callable[[], None] | None, niceness: int) -> None:
    """The worker's main loop: run each job sent, report its end; return when told or when the server is gone."""
    lower_thread_priority(niceness)  # background work: the kernel runs the server's page scripts first
    if setup is not None:
        setup()
    while True:
        try:
            message = jobs.recv()
        except (EOFError, OSError):  # the server closed its end (it exited, or was killed)
            return
        if message[0] == "quit":
            return
        if message[0] != "run":
            continue  # a stop for a job that has already ended
        _, job_id, fn, payload = message
        channel = JobChannel(jobs, updates, job_id)
        try:
            result = fn(payload, channel)
            updates.send(("done", job_id, channel.stop_reason, result))
        except (EOFError, BrokenPipeError):
            return
        except BaseException as error:  # the job's failure is the server's to show; the worker goes on
            updates.send(("failed", job_id, f"{type(error).__name__}: {error}", traceback.format_exc()))
        if channel.quitting:
            return


# -- the server side ---------------------------------------------------------------------------------


class Job:
    """The server's handle on one job: its progress, heartbeats, stop requests and end."""

    def __init__(self, job_id: int, process: _Process, stale_after_s: float,
                 policy: Callable[[Job], str | None] | None, on_end: Iterable[Callable[[Job], None]]):
        self.id = job_id
        self._process = process
        self.stale_after_s = stale_after_s
        self.policy = policy
        self._on_end = list(on_end)
        self.started = self.last_heartbeat = time.monotonic()
        self.stop_requested: str | None = None
        self._stop_asked_at = math.inf
        self._updates: queue.SimpleQueue = queue.SimpleQueue()
        self._ended = threading.Event()
        self.result: Any = None
        self.stop_reason: str | None = None  # why it stopped before its end, as the job or the server said
        self.error: str | None = None  # set when it failed: the job raised, or the worker died or hung
        self.ended_at: float | None = None

    @property
    def running(self) -> bool:
        return not self._ended.is_set()

    @property
    def seconds(self) -> float:
        return (self.ended_at or time.monotonic()) - self.started

    def heartbeat(self) -> None:
        """Say that someone still reads this job's updates (a page script, between its redraws)."""
        self.last_heartbeat = time.monotonic()

    def updates(self, timeout: float) -> list:
        """The progress reported since the last call, waiting up to ``timeout`` seconds for the first."""
        try:
            found = [self._updates.get(timeout=timeout)] if timeout > 0 else [self._updates.get_nowait()]
        except queue.Empty:
            return []
        while True:
            try:
                found.append(self._updates.get_nowait())
            except queue.Empty:
                return found

    def request_stop(self, reason: str) -> None:
        """Ask the job to stop at its next stopping point (first reason wins); returns at once."""
        if self.stop_requested is not None or not self.running:
            return
        self.stop_requested, self._stop_asked_at = reason, time.monotonic()
        self._process.send(("stop", self.id, reason))

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the job's end; True once it has ended."""
        return self._ended.wait(timeout)

    def stop(self, reason: str = "asked") -> None:
        """Ask the job to stop and wait until it has (bounded: a hung worker is killed after the grace)."""
        self.request_stop(reason)
        self._ended.wait()

    # -- called by the worker's owner thread ----------------------------------------------------------
    def _reason_to_stop(self, now: float) -> str | None:
        if now - self.last_heartbeat > self.stale_after_s:
            return "abandoned"
        return self.policy(self) if self.policy is not None else None

    def _overdue(self, now: float, grace_s: float) -> bool:
        return now - self._stop_asked_at > grace_s

    def _end(self, result: Any = None, stop_reason: str | None = None, error: str | None = None) -> None:
        if self._ended.is_set():
            return
        self.result, self.error = result, error
        self.stop_reason = stop_reason if stop_reason is not None else (self.stop_requested if error else None)
        self.ended_at = time.monotonic()
        self._ended.set()
        for callback in self._on_end:
            try:
                callback(self)
            except Exception:  # one caller's clean-up must not keep the others' from running
                traceback.print_exc()


class _Process:
    """One worker process and the server's end of its jobs pipe."""

    def __init__(self, process, jobs: Connection):
        self.process, self.jobs = process, jobs
        self._send_lock = threading.Lock()  # a page thread and the owner thread may both send

    def send(self, message: tuple) -> None:
        with self._send_lock:
            try:
                self.jobs.send(message)
            except (BrokenPipeError, OSError, ValueError):
                pass  # the worker is gone (or closed); its owner thread ends the job and says so

    def close(self) -> None:
        with self._send_lock:
            self.jobs.close()


class Worker:
    """A process that runs :class:`Job` s one at a time; see the module docstring."""

    def __init__(self, name: str = "rnnlab-worker", setup: Callable[[], None] | None = None, niceness: int = 10,
                 stop_grace_s: float = 60.0, idle_exit_s: float = 600.0, start_method: str = "spawn"):
        self.name = name
        self.setup = setup  # run once in the child before any job (a module-level function)
        self.niceness = niceness
        self.stop_grace_s = stop_grace_s
        self.idle_exit_s = idle_exit_s
        self._context = multiprocessing.get_context(start_method)
        self._lock = threading.RLock()
        self._current: _Process | None = None
        self._job: Job | None = None
        self._ids = itertools.count(1)
        self._idle_since = time.monotonic()
        self.started_processes = 0  # how many worker processes this server has started (a restart counts)

    @property
    def pid(self) -> int | None:
        with self._lock:
            alive = self._current is not None and self._current.process.is_alive()
            return self._current.process.pid if alive else None

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._job is not None

    def submit(self, fn: Callable[[Any, JobChannel], Any], payload: Any, stale_after_s: float = math.inf,
               policy: Callable[[Job], str | None] | None = None,
               on_end: Iterable[Callable[[Job], None]] = ()) -> Job:
        """Start ``fn(payload, channel)`` in the worker (starting the worker if needed); returns its Job."""
        with self._lock:
            if self._job is not None:
                raise RuntimeError(f"{self.name} is busy with job {self._job.id}: jobs run one at a time")
            if self._current is None or not self._current.process.is_alive():
                self._start_process()
            job = self._job = Job(next(self._ids), self._current, stale_after_s, policy, on_end)
            self._current.send(("run", job.id, fn, payload))
            if (reason := job._reason_to_stop(time.monotonic())) is not None:  # e.g. others already waiting
                job.request_stop(reason)
            return job

    def shutdown(self, timeout: float = 10.0) -> None:
        """Ask the worker to exit (after its job's next stopping point), then end it if it does not."""
        with self._lock:
            current, self._current = self._current, None
        if current is None:
            return
        current.send(("quit",))
        current.process.join(timeout)
        if current.process.is_alive():
            current.process.kill()
            current.process.join()
        current.close()

    # -- internals ------------------------------------------------------------------------------------
    def _start_process(self) -> None:
        jobs_out, jobs_in = self._context.Pipe(duplex=False)  # (reader, writer): the child reads jobs
        updates_out, updates_in = self._context.Pipe(duplex=False)
        process = self._context.Process(target=serve, args=(jobs_out, updates_in, self.setup, self.niceness),
                                        name=self.name, daemon=True)
        process.start()
        jobs_out.close()  # the child holds its own copies: once it exits, reads here see EOF
        updates_in.close()
        current = self._current = _Process(process, jobs_in)
        self.started_processes += 1
        threading.Thread(target=self._own, args=(current, updates_out), name=f"{self.name}-owner",
                         daemon=True).start()

    def _own(self, current: _Process, updates: Connection) -> None:
        """The owner thread of one worker process: relay its messages, watch the job, notice its death."""
        try:
            self._watch(current, updates)
        except BaseException:  # a bug here must not leave a page waiting for a job that nobody ends
            traceback.print_exc()
            current.process.kill()
            self._on_exit(current)

    def _watch(self, current: _Process, updates: Connection) -> None:
        process = current.process
        last_tick = time.monotonic()
        while True:
            ready = wait([updates, process.sentinel], timeout=TICK_S)
            exited = False
            if updates in ready:  # read what the worker sent before looking at whether it has exited
                try:
                    self._route(updates.recv())
                except (EOFError, OSError):
                    exited = True  # its end of the pipe closed: it has exited, and everything is read
            elif process.sentinel in ready:
                exited = True  # exited with nothing left unread
            if exited:
                self._on_exit(current)
                updates.close()
                return
            if time.monotonic() - last_tick >= TICK_S:  # on the clock, however busy the pipe is
                last_tick = time.monotonic()
                self._tick(current)

    def _job_of(self, current: _Process) -> Job | None:
        with self._lock:
            return self._job if self._job is not None and self._job._process is current else None

    def _route(self, message: tuple) -> None:
        kind, job_id = message[0], message[1]
        with self._lock:
            job = self._job if self._job is not None and self._job.id == job_id else None
        if job is None:
            return  # from a job already ended (it was given up on)
        if kind == "progress":
            job._updates.put(message[2])
            return
        if kind == "done":
            self._finish(job, result=message[3], stop_reason=message[2])
        elif kind == "failed":
            print(f"{self.name}: job {job.id} failed in the worker:\n{message[3]}", flush=True)  # the server log
            self._finish(job, error=message[2])

    def _finish(self, job: Job, **outcome) -> None:
        with self._lock:
            if self._job is job:
                self._job = None
                self._idle_since = time.monotonic()
        job._end(**outcome)

    def _tick(self, current: _Process) -> None:
        now = time.monotonic()
        with self._lock:
            job = self._job_of(current)
            idle = self._job is None and current is self._current and now - self._idle_since > self.idle_exit_s
        if idle:  # nobody trained for a while: give the memory back; the next job starts a new worker
            self.shutdown()
            return
        if job is None:
            return
        if job.stop_requested is None:
            if (reason := job._reason_to_stop(now)) is not None:
                job.request_stop(reason)
        elif job._overdue(now, self.stop_grace_s):
            print(f"{self.name}: job {job.id} did not stop within {self.stop_grace_s:.0f} s; ending the worker",
                  flush=True)
            current.process.kill()  # the owner loop then sees the exit and ends the job with an error

    def _on_exit(self, current: _Process) -> None:
        current.process.join()
        with self._lock:
            if self._current is current:
                self._current = None
            job = self._job_of(current)
        current.close()
        if job is not None:
            overdue = job.stop_requested is not None and job._overdue(time.monotonic(), self.stop_grace_s)
            why = (f"it did not stop within {self.stop_grace_s:.0f} s of being asked, so it was ended"
                   if overdue else f"exit code {current.process.exitcode}")
            self._finish(job, error=f"{WorkerDied.__name__}: the training process stopped unexpectedly ({why})")
