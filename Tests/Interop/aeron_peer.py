#!/usr/bin/env python3
"""aeron_peer: drives the REAL Aeron C 1.53 client and media driver (pyaeron 0.1.0 wheel's shared object)
through ctypes, so the Swift client and driver can be tested against them. Python 3.11, stdlib only.

Every subcommand prints one JSON object per line on stdout (flushed); errors go to stderr with a non-zero
exit status. See Tests/Interop/README.md for the subcommands, flags, JSON shapes and the message pattern.

Exit status: 0 success, 1 verification failure (mismatch / unexpected success), 2 Aeron or usage error,
3 timeout.
"""

import argparse
import ctypes
import json
import os
import select
import signal
import struct
import sys
import threading
import time

# ---------------------------------------------------------------------------------------------------------
# Output


def emit(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


class PeerError(Exception):
    """An error with a process exit status."""

    def __init__(self, message, status=2):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------------------------------------------------
# The message pattern shared with Swift's MessagePattern:
#   byte k of message i (size n), 0 <= k < n:
#     k < 8  : byte k of the 64-bit little-endian encoding of i  (messages shorter than 8 bytes get a prefix)
#     k >= 8 : (i + k) & 0xff
# RAMP[j] == j & 0xff, so bytes 8..n-1 are RAMP[(i + 8) % 256 : (i + 8) % 256 + n - 8].

MAX_PATTERN_LENGTH = 16 * 1024 * 1024
_RAMP = bytes(range(256)) * ((MAX_PATTERN_LENGTH + 512) // 256)


def pattern(index, size):
    if size > MAX_PATTERN_LENGTH:
        raise PeerError(f"message size {size} exceeds the pattern maximum {MAX_PATTERN_LENGTH}")
    head = struct.pack("<Q", index & 0xFFFFFFFFFFFFFFFF)
    if size <= 8:
        return head[:size]
    start = (index + 8) & 0xFF
    return head + _RAMP[start:start + size - 8]


def first_mismatch(expected, actual):
    for k in range(min(len(expected), len(actual))):
        if expected[k] != actual[k]:
            return k
    return min(len(expected), len(actual))


def parse_sizes(text):
    if text is None or text == "":
        return None
    sizes = [int(s) for s in text.split(",") if s.strip() != ""]
    for s in sizes:
        if s < 0 or s > MAX_PATTERN_LENGTH:
            raise PeerError(f"bad size {s}")
    return sizes or None


# ---------------------------------------------------------------------------------------------------------
# The C library

c_void_p = ctypes.c_void_p
c_int = ctypes.c_int
c_int32 = ctypes.c_int32
c_int64 = ctypes.c_int64
c_uint64 = ctypes.c_uint64
c_size_t = ctypes.c_size_t
c_bool = ctypes.c_bool
c_char_p = ctypes.c_char_p

AERON_PUBLICATION_NOT_CONNECTED = -1
AERON_PUBLICATION_BACK_PRESSURED = -2
AERON_PUBLICATION_ADMIN_ACTION = -3
AERON_PUBLICATION_CLOSED = -4
AERON_PUBLICATION_MAX_POSITION_EXCEEDED = -5
AERON_PUBLICATION_ERROR = -6
OFFER_RESULT_NAMES = {
    -1: "NOT_CONNECTED", -2: "BACK_PRESSURED", -3: "ADMIN_ACTION", -4: "CLOSED",
    -5: "MAX_POSITION_EXCEEDED", -6: "ERROR",
}

THREADING_MODES = {"dedicated": 0, "shared_network": 1, "shared": 2, "invoker": 3}

# void (*)(void *clientd, const uint8_t *buffer, size_t length, aeron_header_t *header)
FRAGMENT_HANDLER = ctypes.CFUNCTYPE(None, c_void_p, c_void_p, c_size_t, c_void_p)
# void (*)(int64_t value, int32_t id, int32_t type_id, const uint8_t *key, size_t key_length,
#          const char *label, size_t label_length, void *clientd)
COUNTER_FUNC = ctypes.CFUNCTYPE(None, c_int64, c_int32, c_int32, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p)
# void (*)(const char *message)
LOG_FUNC = ctypes.CFUNCTYPE(None, c_char_p)
# void (*)(int32_t observation_count, int64_t first_ts, int64_t last_ts, const char *error, size_t length, void *)
ERROR_LOG_FUNC = ctypes.CFUNCTYPE(None, c_int32, c_int64, c_int64, c_void_p, c_size_t, c_void_p)


class BufferClaim(ctypes.Structure):
    """aeron_buffer_claim_t (ABI: two pointers and a size_t)."""
    _fields_ = [("frame_header", c_void_p), ("data", c_void_p), ("length", c_size_t)]


class HeaderValuesFrame(ctypes.Structure):
    """aeron_header_values_frame_t: the data frame header fields (#pragma pack(4))."""
    _pack_ = 4
    _fields_ = [("frame_length", ctypes.c_int32), ("version", ctypes.c_int8), ("flags", ctypes.c_uint8),
                ("type", ctypes.c_int16), ("term_offset", ctypes.c_int32), ("session_id", ctypes.c_int32),
                ("stream_id", ctypes.c_int32), ("term_id", ctypes.c_int32), ("reserved_value", ctypes.c_int64)]


class HeaderValues(ctypes.Structure):
    """aeron_header_values_t (#pragma pack(4)): 44 bytes on x86-64."""
    _pack_ = 4
    _fields_ = [("frame", HeaderValuesFrame), ("initial_term_id", ctypes.c_int32),
                ("position_bits_to_shift", ctypes.c_size_t)]


assert ctypes.sizeof(HeaderValuesFrame) == 32 and ctypes.sizeof(HeaderValues) == 44


class ImageConstants(ctypes.Structure):
    """aeron_image_constants_t (aeronc.h)."""
    _fields_ = [("subscription", c_void_p), ("source_identity", c_char_p), ("correlation_id", c_int64),
                ("join_position", c_int64), ("position_bits_to_shift", c_size_t), ("term_buffer_length", c_size_t),
                ("mtu_length", c_size_t), ("session_id", c_int32), ("initial_term_id", c_int32),
                ("subscriber_position_id", c_int32)]


class PublicationErrorValues(ctypes.Structure):
    """aeron_publication_error_values_t (aeronc.h, #pragma pack(4)); the message follows the fixed part."""
    _pack_ = 4
    _fields_ = [("registration_id", c_int64), ("destination_registration_id", c_int64), ("session_id", c_int32),
                ("stream_id", c_int32), ("receiver_id", c_int64), ("group_tag", c_int64), ("address_type", ctypes.c_int16),
                ("source_port", ctypes.c_uint16), ("source_address", ctypes.c_uint8 * 16), ("error_code", c_int32),
                ("error_message_length", c_int32)]


PUBLICATION_ERROR_HANDLER = ctypes.CFUNCTYPE(None, c_void_p, ctypes.POINTER(PublicationErrorValues))


class CountersBuffers(ctypes.Structure):
    """aeron_counters_reader_buffers_t."""
    _fields_ = [("values", c_void_p), ("metadata", c_void_p), ("values_length", c_size_t),
                ("metadata_length", c_size_t)]


_PROTOTYPES = [
    # errors, version
    ("aeron_errcode", c_int, []),
    ("aeron_errmsg", c_char_p, []),
    ("aeron_version_full", c_char_p, []),
    # client
    ("aeron_context_init", c_int, [ctypes.POINTER(c_void_p)]),
    ("aeron_context_set_dir", c_int, [c_void_p, c_char_p]),
    ("aeron_context_set_driver_timeout_ms", c_int, [c_void_p, c_uint64]),
    ("aeron_context_set_client_name", c_int, [c_void_p, c_char_p]),
    ("aeron_context_close", c_int, [c_void_p]),
    ("aeron_init", c_int, [ctypes.POINTER(c_void_p), c_void_p]),
    ("aeron_start", c_int, [c_void_p]),
    ("aeron_close", c_int, [c_void_p]),
    ("aeron_async_add_publication", c_int, [ctypes.POINTER(c_void_p), c_void_p, c_char_p, c_int32]),
    ("aeron_async_add_publication_poll", c_int, [ctypes.POINTER(c_void_p), c_void_p]),
    ("aeron_async_add_exclusive_publication", c_int, [ctypes.POINTER(c_void_p), c_void_p, c_char_p, c_int32]),
    ("aeron_async_add_exclusive_publication_poll", c_int, [ctypes.POINTER(c_void_p), c_void_p]),
    ("aeron_async_add_subscription", c_int,
     [ctypes.POINTER(c_void_p), c_void_p, c_char_p, c_int32, c_void_p, c_void_p, c_void_p, c_void_p]),
    ("aeron_async_add_subscription_poll", c_int, [ctypes.POINTER(c_void_p), c_void_p]),
    ("aeron_publication_offer", c_int64, [c_void_p, c_void_p, c_size_t, c_void_p, c_void_p]),
    ("aeron_publication_try_claim", c_int64, [c_void_p, c_size_t, ctypes.POINTER(BufferClaim)]),
    ("aeron_publication_is_connected", c_bool, [c_void_p]),
    ("aeron_publication_close", c_int, [c_void_p, c_void_p, c_void_p]),
    ("aeron_exclusive_publication_offer", c_int64, [c_void_p, c_void_p, c_size_t, c_void_p, c_void_p]),
    ("aeron_exclusive_publication_try_claim", c_int64, [c_void_p, c_size_t, ctypes.POINTER(BufferClaim)]),
    ("aeron_exclusive_publication_is_connected", c_bool, [c_void_p]),
    ("aeron_exclusive_publication_close", c_int, [c_void_p, c_void_p, c_void_p]),
    ("aeron_buffer_claim_commit", c_int, [ctypes.POINTER(BufferClaim)]),
    ("aeron_subscription_poll", c_int, [c_void_p, c_void_p, c_void_p, c_size_t]),
    ("aeron_subscription_is_connected", c_bool, [c_void_p]),
    ("aeron_subscription_image_count", c_int, [c_void_p]),
    ("aeron_subscription_close", c_int, [c_void_p, c_void_p, c_void_p]),
    ("aeron_header_values", c_int, [c_void_p, ctypes.POINTER(HeaderValues)]),
    ("aeron_header_position", c_int64, [c_void_p]),
    ("aeron_fragment_assembler_create", c_int, [ctypes.POINTER(c_void_p), c_void_p, c_void_p]),
    ("aeron_fragment_assembler_delete", c_int, [c_void_p]),
    ("aeron_counters_reader", c_void_p, [c_void_p]),
    ("aeron_counters_reader_foreach_counter", None, [c_void_p, c_void_p, c_void_p]),
    ("aeron_counters_reader_counter_registration_id", c_int, [c_void_p, c_int32, ctypes.POINTER(c_int64)]),
    ("aeron_counters_reader_counter_owner_id", c_int, [c_void_p, c_int32, ctypes.POINTER(c_int64)]),
    ("aeron_counters_reader_counter_reference_id", c_int, [c_void_p, c_int32, ctypes.POINTER(c_int64)]),
    ("aeron_counters_reader_max_counter_id", c_int32, [c_void_p]),
    ("aeron_error_log_read", c_size_t, [c_void_p, c_size_t, c_void_p, c_void_p, c_int64]),
    ("aeron_is_driver_active", c_bool, [c_char_p, c_int64, c_void_p]),
    ("aeron_client_id", c_int64, [c_void_p]),
    # client API of 1.47+ drivers: image rejection, publication errors, revoke, next session id
    ("aeron_context_set_publication_error_frame_handler", c_int, [c_void_p, c_void_p, c_void_p]),
    ("aeron_subscription_image_at_index", c_void_p, [c_void_p, c_size_t]),
    ("aeron_subscription_image_release", c_int, [c_void_p, c_void_p]),
    ("aeron_image_constants", c_int, [c_void_p, c_void_p]),
    ("aeron_image_position", c_int64, [c_void_p]),
    ("aeron_image_reject", c_int, [c_void_p, c_char_p]),
    ("aeron_image_is_end_of_stream", c_bool, [c_void_p]),
    ("aeron_image_is_publication_revoked", c_bool, [c_void_p]),
    ("aeron_exclusive_publication_revoke", c_int, [c_void_p, c_void_p, c_void_p]),
    ("aeron_async_next_session_id", c_int, [ctypes.POINTER(c_void_p), c_void_p, c_int32]),
    ("aeron_async_next_session_id_poll", c_int, [ctypes.POINTER(c_int32), c_void_p]),
    # media driver
    ("aeron_driver_context_init", c_int, [ctypes.POINTER(c_void_p)]),
    ("aeron_driver_context_set_dir", c_int, [c_void_p, c_char_p]),
    ("aeron_driver_context_set_dir_delete_on_start", c_int, [c_void_p, c_bool]),
    ("aeron_driver_context_set_dir_delete_on_shutdown", c_int, [c_void_p, c_bool]),
    ("aeron_driver_context_set_dir_warn_if_exists", c_int, [c_void_p, c_bool]),
    ("aeron_driver_context_set_threading_mode", c_int, [c_void_p, c_int]),
    ("aeron_driver_context_set_term_buffer_length", c_int, [c_void_p, c_size_t]),
    ("aeron_driver_context_set_ipc_term_buffer_length", c_int, [c_void_p, c_size_t]),
    ("aeron_driver_context_set_ipc_mtu_length", c_int, [c_void_p, c_size_t]),
    ("aeron_driver_context_set_term_buffer_sparse_file", c_int, [c_void_p, c_bool]),
    ("aeron_driver_context_set_client_liveness_timeout_ns", c_int, [c_void_p, c_uint64]),
    ("aeron_driver_context_set_timer_interval_ns", c_int, [c_void_p, c_uint64]),
    ("aeron_driver_context_set_publication_linger_timeout_ns", c_int, [c_void_p, c_uint64]),
    ("aeron_driver_context_set_image_liveness_timeout_ns", c_int, [c_void_p, c_uint64]),
    ("aeron_driver_context_set_publication_unblock_timeout_ns", c_int, [c_void_p, c_uint64]),
    ("aeron_driver_context_set_driver_timeout_ms", c_int, [c_void_p, c_uint64]),
    ("aeron_driver_context_set_print_configuration", c_int, [c_void_p, c_bool]),
    ("aeron_driver_context_set_shared_idle_strategy", c_int, [c_void_p, c_char_p]),
    ("aeron_driver_context_set_conductor_idle_strategy", c_int, [c_void_p, c_char_p]),
    ("aeron_driver_context_set_sender_idle_strategy", c_int, [c_void_p, c_char_p]),
    ("aeron_driver_context_set_receiver_idle_strategy", c_int, [c_void_p, c_char_p]),
    ("aeron_driver_context_set_sharednetwork_idle_strategy", c_int, [c_void_p, c_char_p]),
    ("aeron_driver_context_close", c_int, [c_void_p]),
    ("aeron_driver_init", c_int, [ctypes.POINTER(c_void_p), c_void_p]),
    ("aeron_driver_start", c_int, [c_void_p, c_bool]),
    ("aeron_driver_main_do_work", c_int, [c_void_p]),
    ("aeron_driver_close", c_int, [c_void_p]),
]


class Aeron:
    """The loaded shared object with prototypes declared from the Aeron C 1.53 headers."""

    def __init__(self, so_path):
        if not so_path:
            raise PeerError("no shared object: pass --so or set TP_PYAERON_SO (run scripts/install-test-deps.sh)")
        if not os.path.isfile(so_path):
            raise PeerError(f"shared object not found: {so_path} (run scripts/install-test-deps.sh)")
        self.lib = ctypes.CDLL(so_path, mode=ctypes.RTLD_GLOBAL)
        for name, restype, argtypes in _PROTOTYPES:
            fn = getattr(self.lib, name)
            fn.restype = restype
            fn.argtypes = argtypes
            setattr(self, name, fn)
        # The assembler's handler is passed to poll as a plain C function pointer: no Python per fragment.
        self.fragment_assembler_handler_ptr = ctypes.cast(self.lib.aeron_fragment_assembler_handler, c_void_p).value

    def error(self):
        msg = self.aeron_errmsg()
        return self.aeron_errcode(), (msg.decode("utf-8", "replace") if msg else "")

    def check(self, rc, what):
        if rc < 0:
            code, msg = self.error()
            raise PeerError(f"{what} failed: errcode={code} errmsg={msg}")
        return rc

    def version(self):
        v = self.aeron_version_full()
        return v.decode() if v else ""


# ---------------------------------------------------------------------------------------------------------
# Stop requests: SIGTERM / SIGINT, optionally stdin EOF (the parent died or closed our stdin)

_stop = threading.Event()


def install_stop_handlers(watch_stdin):
    def on_signal(signum, frame):
        _stop.set()

    # A parent may spawn us with these blocked (the mask is inherited through fork/exec): unblock them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if watch_stdin:
        def watch():
            # os.read on the raw descriptor: a daemon thread blocked inside sys.stdin's buffered reader holds its
            # lock and makes interpreter shutdown abort ("could not acquire lock ... at interpreter shutdown").
            try:
                while os.read(0, 4096):
                    pass
            except OSError:
                pass
            _stop.set()

        threading.Thread(target=watch, name="stdin-eof", daemon=True).start()


# ---------------------------------------------------------------------------------------------------------
# Media driver


class Driver:
    def __init__(self, aeron, args):
        self.a = aeron
        self.ctx = c_void_p()
        self.driver = c_void_p()
        self.invoker = args.threading == "invoker"
        a = aeron
        a.check(a.aeron_driver_context_init(ctypes.byref(self.ctx)), "aeron_driver_context_init")
        ctx = self.ctx
        a.check(a.aeron_driver_context_set_dir(ctx, args.dir.encode()), "set_dir")
        a.check(a.aeron_driver_context_set_dir_delete_on_start(ctx, not args.no_delete_on_start), "set_dir_delete_on_start")
        a.check(a.aeron_driver_context_set_dir_delete_on_shutdown(ctx, not args.keep_dir), "set_dir_delete_on_shutdown")
        a.check(a.aeron_driver_context_set_dir_warn_if_exists(ctx, False), "set_dir_warn_if_exists")
        a.check(a.aeron_driver_context_set_print_configuration(ctx, args.print_config), "set_print_configuration")
        a.check(a.aeron_driver_context_set_threading_mode(ctx, THREADING_MODES[args.threading]), "set_threading_mode")
        if args.term_length:
            a.check(a.aeron_driver_context_set_term_buffer_length(ctx, args.term_length), "set_term_buffer_length")
            a.check(a.aeron_driver_context_set_ipc_term_buffer_length(ctx, args.term_length), "set_ipc_term_buffer_length")
        if args.ipc_mtu:
            a.check(a.aeron_driver_context_set_ipc_mtu_length(ctx, args.ipc_mtu), "set_ipc_mtu_length")
        if args.sparse is not None:
            a.check(a.aeron_driver_context_set_term_buffer_sparse_file(ctx, args.sparse == "true"), "set_sparse")
        optional_ns = [
            ("client_liveness_timeout_ns", a.aeron_driver_context_set_client_liveness_timeout_ns),
            ("timer_interval_ns", a.aeron_driver_context_set_timer_interval_ns),
            ("publication_linger_timeout_ns", a.aeron_driver_context_set_publication_linger_timeout_ns),
            ("image_liveness_timeout_ns", a.aeron_driver_context_set_image_liveness_timeout_ns),
            ("publication_unblock_timeout_ns", a.aeron_driver_context_set_publication_unblock_timeout_ns),
            ("driver_timeout_ms", a.aeron_driver_context_set_driver_timeout_ms),
        ]
        for attr, setter in optional_ns:
            value = getattr(args, attr)
            if value is not None:
                a.check(setter(ctx, value), f"set_{attr}")
        if args.idle:
            idle = args.idle.encode()
            for setter in (a.aeron_driver_context_set_shared_idle_strategy,
                           a.aeron_driver_context_set_conductor_idle_strategy,
                           a.aeron_driver_context_set_sender_idle_strategy,
                           a.aeron_driver_context_set_receiver_idle_strategy,
                           a.aeron_driver_context_set_sharednetwork_idle_strategy):
                a.check(setter(ctx, idle), "set_idle_strategy")
        a.check(a.aeron_driver_init(ctypes.byref(self.driver), ctx), "aeron_driver_init")
        a.check(a.aeron_driver_start(self.driver, self.invoker), "aeron_driver_start")
        self.invoker_thread = None
        self._invoker_stop = threading.Event()

    def run_invoker_in_thread(self):
        """INVOKER mode inside a process that also does other work (throughput --embedded-driver)."""
        def loop():
            while not self._invoker_stop.is_set():
                if self.a.aeron_driver_main_do_work(self.driver) <= 0:
                    time.sleep(0.0001)

        self.invoker_thread = threading.Thread(target=loop, name="driver-invoker", daemon=True)
        self.invoker_thread.start()

    def close(self):
        if self.invoker_thread is not None:
            self._invoker_stop.set()
            self.invoker_thread.join()
        if self.driver:
            self.a.aeron_driver_close(self.driver)
            self.driver = c_void_p()
        if self.ctx:
            self.a.aeron_driver_context_close(self.ctx)
            self.ctx = c_void_p()


def cnc_ready(directory):
    path = os.path.join(directory, "cnc.dat")
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError:
        return False
    return len(head) == 4 and struct.unpack("<i", head)[0] != 0


def cmd_driver(aeron, args):
    install_stop_handlers(watch_stdin=not args.no_stdin_watch)
    # If init fails the context is deliberately left open until exit: closing it would apply
    # dir_delete_on_shutdown to a directory that may belong to another, live driver.
    driver = Driver(aeron, args)
    try:
        deadline = time.monotonic() + 10
        while not cnc_ready(args.dir):
            if driver.invoker:
                aeron.aeron_driver_main_do_work(driver.driver)
            if time.monotonic() > deadline:
                raise PeerError(f"cnc.dat not ready in {args.dir}", 3)
            time.sleep(0.001)
        emit({"event": "ready", "dir": args.dir, "pid": os.getpid(), "cnc": os.path.join(args.dir, "cnc.dat"),
              "threading": args.threading, "aeron_version": aeron.version()})
        if driver.invoker:
            while not _stop.is_set():
                if aeron.aeron_driver_main_do_work(driver.driver) < 0:
                    code, msg = aeron.error()
                    raise PeerError(f"aeron_driver_main_do_work failed: errcode={code} errmsg={msg}")
                # a small idle: the conductor's timers are coarse, the clients only wait on the to-driver ring
                time.sleep(0.0002)
        else:
            while not _stop.wait(0.1):
                pass
    finally:
        driver.close()
    emit({"event": "closed", "dir": args.dir, "dir_exists": os.path.isdir(args.dir)})
    return 0


# ---------------------------------------------------------------------------------------------------------
# Client


class Client:
    def __init__(self, aeron, directory, timeout_ms=10000, name="aeron_peer", publication_error_handler=None):
        self.a = aeron
        self.ctx = c_void_p()
        self.client = c_void_p()
        a = aeron
        a.check(a.aeron_context_init(ctypes.byref(self.ctx)), "aeron_context_init")
        if publication_error_handler is not None:
            self._publication_error_handler = PUBLICATION_ERROR_HANDLER(publication_error_handler)
            a.check(a.aeron_context_set_publication_error_frame_handler(
                self.ctx, ctypes.cast(self._publication_error_handler, c_void_p), None),
                "aeron_context_set_publication_error_frame_handler")
        a.check(a.aeron_context_set_dir(self.ctx, directory.encode()), "aeron_context_set_dir")
        a.check(a.aeron_context_set_driver_timeout_ms(self.ctx, timeout_ms), "aeron_context_set_driver_timeout_ms")
        a.check(a.aeron_context_set_client_name(self.ctx, name.encode()), "aeron_context_set_client_name")
        a.check(a.aeron_init(ctypes.byref(self.client), self.ctx), "aeron_init")
        a.check(a.aeron_start(self.client), "aeron_start")

    def _await(self, async_ptr, poll, what, timeout_s):
        out = c_void_p()
        deadline = time.monotonic() + timeout_s
        while True:
            rc = poll(ctypes.byref(out), async_ptr)
            if rc > 0:
                return out
            if rc < 0:
                code, msg = self.a.error()
                raise PeerError(f"{what} failed: errcode={code} errmsg={msg}")
            if time.monotonic() > deadline:
                raise PeerError(f"{what} timed out", 3)
            time.sleep(0.0005)

    def add_publication(self, channel, stream, exclusive, timeout_s=10):
        a = self.a
        async_ptr = c_void_p()
        if exclusive:
            a.check(a.aeron_async_add_exclusive_publication(ctypes.byref(async_ptr), self.client, channel.encode(), stream),
                    "aeron_async_add_exclusive_publication")
            return Publication(a, self._await(async_ptr, a.aeron_async_add_exclusive_publication_poll,
                                              "add exclusive publication", timeout_s), True)
        a.check(a.aeron_async_add_publication(ctypes.byref(async_ptr), self.client, channel.encode(), stream),
                "aeron_async_add_publication")
        return Publication(a, self._await(async_ptr, a.aeron_async_add_publication_poll, "add publication", timeout_s),
                           False)

    def add_subscription(self, channel, stream, timeout_s=10):
        a = self.a
        async_ptr = c_void_p()
        a.check(a.aeron_async_add_subscription(ctypes.byref(async_ptr), self.client, channel.encode(), stream,
                                               None, None, None, None), "aeron_async_add_subscription")
        return self._await(async_ptr, a.aeron_async_add_subscription_poll, "add subscription", timeout_s)

    def close(self):
        if self.client:
            self.a.aeron_close(self.client)
            self.client = c_void_p()
        if self.ctx:
            self.a.aeron_context_close(self.ctx)
            self.ctx = c_void_p()


class Publication:
    def __init__(self, aeron, handle, exclusive):
        self.a = aeron
        self.handle = handle
        self.exclusive = exclusive
        if exclusive:
            self._offer = aeron.aeron_exclusive_publication_offer
            self._try_claim = aeron.aeron_exclusive_publication_try_claim
            self._is_connected = aeron.aeron_exclusive_publication_is_connected
        else:
            self._offer = aeron.aeron_publication_offer
            self._try_claim = aeron.aeron_publication_try_claim
            self._is_connected = aeron.aeron_publication_is_connected
        self._commit = aeron.aeron_buffer_claim_commit
        self._claim = BufferClaim()
        self._claim_ref = ctypes.byref(self._claim)

    def is_connected(self):
        return bool(self._is_connected(self.handle))

    def offer(self, data, length):
        return self._offer(self.handle, data, length, None, None)

    def claim_copy_commit(self, data, length):
        rc = self._try_claim(self.handle, length, self._claim_ref)
        if rc > 0:
            if length:
                ctypes.memmove(self._claim.data, data, length)
            self._commit(self._claim_ref)
        return rc

    def wait_connected(self, timeout_s):
        deadline = time.monotonic() + timeout_s
        while not self.is_connected():
            if time.monotonic() > deadline:
                raise PeerError(f"publication not connected after {timeout_s}s", 3)
            time.sleep(0.001)


def send_one(pub, data, length, try_claim, deadline):
    """Offers one message, retrying on back pressure / admin action / not connected until the deadline."""
    send = pub.claim_copy_commit if try_claim else pub.offer
    while True:
        rc = send(data, length)
        if rc > 0:
            return rc
        if rc in (AERON_PUBLICATION_BACK_PRESSURED, AERON_PUBLICATION_ADMIN_ACTION, AERON_PUBLICATION_NOT_CONNECTED):
            if time.monotonic() > deadline:
                raise PeerError(f"offer timed out ({OFFER_RESULT_NAMES.get(rc, rc)})", 3)
            time.sleep(0)
            continue
        detail = ""
        if rc == AERON_PUBLICATION_ERROR:
            code, msg = pub.a.error()
            detail = f": errcode={code} errmsg={msg}"
        raise PeerError(f"offer failed: {OFFER_RESULT_NAMES.get(rc, rc)} ({rc}) length={length}{detail}")


def cmd_pub(aeron, args):
    sizes = parse_sizes(args.sizes) or [32]
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        pub = client.add_publication(args.channel, args.stream, args.exclusive)
        emit({"event": "publication", "channel": args.channel, "stream": args.stream, "exclusive": args.exclusive})
        pub.wait_connected(args.connect_timeout_s)
        emit({"event": "connected"})
        every = args.progress_every or max(1, args.count // 10)
        deadline = time.monotonic() + args.timeout_s
        last_position = 0
        for i in range(args.count):
            n = sizes[i % len(sizes)]
            last_position = send_one(pub, pattern(i, n), n, args.try_claim, deadline)
            if (i + 1) % every == 0 and i + 1 < args.count:
                emit({"event": "progress", "sent": i + 1})
        emit({"event": "done", "sent": args.count, "position": last_position})
        if args.revoke:
            # The C client revokes exclusive publications only (aeron_exclusive_publication_revoke).
            aeron.check(aeron.aeron_exclusive_publication_revoke(pub.handle, None, None), "aeron_exclusive_publication_revoke")
            emit({"event": "revoked", "position": last_position})
        if args.linger_s > 0:
            time.sleep(args.linger_s)
    finally:
        client.close()
    return 0


class Verifier:
    """Checks the i-th reassembled message against the pattern; called by the fragment assembler."""

    def __init__(self, aeron, sizes, print_headers=0, max_reports=10):
        self.a = aeron
        self.print_headers = print_headers
        self.values = HeaderValues()
        self.sizes = sizes
        self.received = 0
        self.errors = 0
        self.max_reports = max_reports
        self.handler = FRAGMENT_HANDLER(self.on_message)

    def on_message(self, clientd, buffer, length, header):
        i = self.received
        self.received = i + 1
        expected_length = self.sizes[i % len(self.sizes)] if self.sizes else length
        actual = ctypes.string_at(buffer, length) if length else b""
        if i < self.print_headers:
            self.emit_header(i, length, header)
        if expected_length != length or actual != pattern(i, length):
            self.errors += 1
            if self.errors <= self.max_reports:
                emit({"event": "mismatch", "index": i, "length": length, "expected_length": expected_length,
                      "first_bad_offset": first_mismatch(pattern(i, expected_length), actual)})


    def emit_header(self, i, length, header):
        """The header of message i as the C client sees it (for a reassembled message: its last fragment's)."""
        if self.a.aeron_header_values(header, ctypes.byref(self.values)) < 0:
            code, msg = self.a.error()
            raise PeerError(f"aeron_header_values failed: errcode={code} errmsg={msg}")
        f = self.values.frame
        emit({"event": "header", "index": i, "length": length, "frame_length": f.frame_length, "version": f.version,
              "flags": f.flags, "type": f.type, "term_offset": f.term_offset, "session_id": f.session_id,
              "stream_id": f.stream_id, "term_id": f.term_id, "reserved_value": f.reserved_value,
              "initial_term_id": self.values.initial_term_id,
              "position_bits_to_shift": self.values.position_bits_to_shift,
              "position": self.a.aeron_header_position(header)})


def fragment_printer(aeron, limit, assembler_handler):
    """A poll handler that prints the first `limit` raw fragments' headers, then hands every fragment to the C
    fragment assembler. Returns the handler as a C function pointer (kept alive in _keep_alive)."""
    values = HeaderValues()
    forward = FRAGMENT_HANDLER(assembler_handler)
    seen = [0]

    def on_fragment(clientd, buffer, length, header):
        if seen[0] < limit:
            if aeron.aeron_header_values(header, ctypes.byref(values)) < 0:
                code, msg = aeron.error()
                raise PeerError(f"aeron_header_values failed: errcode={code} errmsg={msg}")
            f = values.frame
            emit({"event": "fragment", "index": seen[0], "length": length, "frame_length": f.frame_length,
                  "flags": f.flags, "term_offset": f.term_offset, "term_id": f.term_id,
                  "session_id": f.session_id, "position": aeron.aeron_header_position(header)})
        seen[0] += 1
        forward(clientd, buffer, length, header)

    printer = FRAGMENT_HANDLER(on_fragment)
    _keep_alive.append((printer, forward))
    return ctypes.cast(printer, c_void_p).value


_keep_alive = []


def cmd_sub(aeron, args):
    sizes = parse_sizes(args.sizes)
    client = Client(aeron, args.dir, args.client_timeout_ms)
    assembler = c_void_p()
    try:
        sub = client.add_subscription(args.channel, args.stream)
        verifier = Verifier(aeron, sizes, args.print_headers)
        aeron.check(aeron.aeron_fragment_assembler_create(ctypes.byref(assembler),
                                                          ctypes.cast(verifier.handler, c_void_p), None),
                    "aeron_fragment_assembler_create")
        emit({"event": "ready", "channel": args.channel, "stream": args.stream})
        poll = aeron.aeron_subscription_poll
        handler = aeron.fragment_assembler_handler_ptr
        if args.print_fragments > 0:
            handler = fragment_printer(aeron, args.print_fragments, handler)
        deadline = time.monotonic() + args.timeout_s
        every = args.progress_every or max(1, args.count // 10)
        next_report = every
        idle = 0
        connected = False
        while verifier.received < args.count:
            got = poll(sub, handler, assembler, 256)
            if got < 0:
                code, msg = aeron.error()
                raise PeerError(f"aeron_subscription_poll failed: errcode={code} errmsg={msg}")
            if got == 0:
                idle += 1
                if idle > 100:
                    if time.monotonic() > deadline:
                        emit({"event": "done", "received": verifier.received, "errors": verifier.errors,
                              "timed_out": True})
                        print(f"timed out after {args.timeout_s}s with {verifier.received}/{args.count} messages",
                              file=sys.stderr)
                        return 3
                    if not connected and aeron.aeron_subscription_is_connected(sub):
                        connected = True
                        emit({"event": "connected"})
                    time.sleep(0.0001)
            else:
                idle = 0
                if not connected:
                    connected = True
                    emit({"event": "connected"})
                if verifier.received >= next_report and verifier.received < args.count:
                    emit({"event": "progress", "received": verifier.received})
                    next_report += every
        emit({"event": "done", "received": verifier.received, "errors": verifier.errors, "timed_out": False})
        if verifier.errors:
            print(f"{verifier.errors} of {verifier.received} messages did not match the pattern", file=sys.stderr)
            return 1
        if args.wait_image_gone is not None:
            # the publisher's image must go away once it closed (end of stream, linger, driver cleanup)
            start = time.monotonic()
            while aeron.aeron_subscription_image_count(sub) > 0:
                extra = poll(sub, handler, assembler, 256)
                if extra > 0:
                    emit({"event": "unexpected_messages", "fragments": extra})
                    return 1
                if time.monotonic() - start > args.wait_image_gone:
                    print(f"image still present after {args.wait_image_gone}s", file=sys.stderr)
                    return 3
                time.sleep(0.001)
            emit({"event": "image_gone", "after_ms": int((time.monotonic() - start) * 1000)})
        if args.linger_s > 0:
            time.sleep(args.linger_s)
        return 0
    finally:
        if assembler:
            aeron.aeron_fragment_assembler_delete(assembler)
        client.close()


# ---------------------------------------------------------------------------------------------------------
# Ping / pong: 32-byte (--length) messages; ping stamps time.perf_counter_ns() in bytes 0..7


def percentiles(samples):
    samples.sort()
    n = len(samples)
    if n == 0:
        return {}

    def at(q):
        return samples[min(n - 1, max(0, int(q * n + 0.5) - 1))]

    return {"min": samples[0], "p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "p99.9": at(0.999),
            "p99.99": at(0.9999), "max": samples[-1], "mean": sum(samples) // n}


def cmd_pong(aeron, args):
    install_stop_handlers(watch_stdin=False)
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        sub = client.add_subscription(args.channel, args.ping_stream)
        pub = client.add_publication(args.channel, args.pong_stream, True)
        emit({"event": "ready"})
        state = {"echoed": 0, "failed": False}
        offer = pub._offer
        handle = pub.handle

        def on_ping(clientd, buffer, length, header):
            if offer(handle, buffer, length, None, None) < 0:
                give_up = time.monotonic() + args.timeout_s
                while offer(handle, buffer, length, None, None) < 0:
                    if _stop.is_set() or time.monotonic() > give_up:
                        state["failed"] = True
                        return
            state["echoed"] += 1

        handler = FRAGMENT_HANDLER(on_ping)
        poll = aeron.aeron_subscription_poll
        last_activity = time.monotonic()
        active = False
        idle = 0
        while not _stop.is_set() and (args.count == 0 or state["echoed"] < args.count):
            if state["failed"]:
                raise PeerError(f"pong: could not send a reply for {args.timeout_s}s", 3)
            if poll(sub, handler, None, 16) > 0:
                active = True
                continue
            idle += 1
            if idle & 0x3FF == 0:  # look at the clock every 1024 empty polls
                now = time.monotonic()
                if active:
                    last_activity = now
                    active = False
                elif now - last_activity > args.timeout_s:
                    raise PeerError(f"pong: no ping for {args.timeout_s}s", 3)
        emit({"event": "done", "echoed": state["echoed"]})
    finally:
        client.close()
    return 0


def cmd_ping(aeron, args):
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        pub = client.add_publication(args.channel, args.ping_stream, True)
        sub = client.add_subscription(args.channel, args.pong_stream)
        pub.wait_connected(args.connect_timeout_s)
        deadline = time.monotonic() + args.connect_timeout_s
        while not aeron.aeron_subscription_is_connected(sub):
            if time.monotonic() > deadline:
                raise PeerError("pong subscription not connected", 3)
            time.sleep(0.001)
        emit({"event": "connected"})
        length = max(8, args.length)
        msg = ctypes.create_string_buffer(length)
        got = [0]
        expected = [0]
        wrong = [0]
        stamp_at = ctypes.c_int64.from_address

        def on_pong(clientd, buffer, length_, header):
            # the reply must carry this round trip's send timestamp: proves it is the echo of this ping
            if length_ != length or stamp_at(buffer).value != expected[0]:
                wrong[0] += 1
            got[0] = 1

        handler = FRAGMENT_HANDLER(on_pong)
        poll = aeron.aeron_subscription_poll
        offer = pub._offer
        handle = pub.handle
        clock = time.perf_counter_ns
        pack = struct.Struct("<q").pack_into
        total = args.warmup + args.count
        timeout_ns = int(args.timeout_s * 1e9)
        samples = [0] * args.count
        for i in range(total):
            got[0] = 0
            t0 = clock()
            expected[0] = t0
            pack(msg, 0, t0)
            while offer(handle, msg, length, None, None) < 0:
                if clock() - t0 > timeout_ns:
                    raise PeerError(f"could not send ping {i} for {args.timeout_s}s", 3)
            spins = 0
            while not got[0]:
                if poll(sub, handler, None, 1) == 0:
                    spins += 1
                    if spins & 0xFFFF == 0 and clock() - t0 > timeout_ns:
                        raise PeerError(f"no pong for round trip {i}", 3)
            if i >= args.warmup:
                samples[i - args.warmup] = clock() - t0
        emit({"event": "result", "kind": "pingpong", "length": length, "count": args.count, "wrong_replies": wrong[0],
              "rtt_ns": percentiles(samples)})
        if wrong[0]:
            print(f"{wrong[0]} replies did not echo the ping they answered", file=sys.stderr)
            return 1
    finally:
        client.close()
    return 0


# ---------------------------------------------------------------------------------------------------------
# Throughput: publisher thread + subscriber thread in one process


def cmd_throughput(aeron, args):
    embedded = None
    if args.embedded_driver:
        embedded = Driver(aeron, args)
        if embedded.invoker:
            embedded.run_invoker_in_thread()
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        exclusive = args.pub in ("exclusive", "claim")
        pub = client.add_publication(args.channel, args.stream, exclusive)
        sub = client.add_subscription(args.channel, args.stream)
        pub.wait_connected(10)
        length = args.length
        data = ctypes.create_string_buffer(max(1, length))
        running = threading.Event()
        running.set()
        sent = [0]
        received = [0]
        # Count-only poll: libc abs(int) as the fragment handler. It has a compatible calling convention on
        # x86-64 SysV (ignores extra arguments, no side effects), so no Python runs per fragment; the poll's
        # return value is the fragment count.
        libc = ctypes.CDLL(None)
        count_only_handler = ctypes.cast(libc.abs, c_void_p).value

        def publisher():
            send = pub.claim_copy_commit if args.pub == "claim" else pub.offer
            n = 0
            while running.is_set():
                if send(data, length) > 0:
                    n += 1
                    if n & 0x3FF == 0:
                        sent[0] = n
            sent[0] = n

        def subscriber():
            poll = aeron.aeron_subscription_poll
            n = 0
            while running.is_set() or n < sent[0]:
                got = poll(sub, count_only_handler, None, 4096)
                if got > 0:
                    n += got
                    received[0] = n
                elif not running.is_set():
                    break
            received[0] = n

        threads = [threading.Thread(target=subscriber, name="sub"), threading.Thread(target=publisher, name="pub")]
        for t in threads:
            t.start()
        per_second = []
        last = 0
        for _ in range(args.secs):
            time.sleep(1)
            now = received[0]
            per_second.append(now - last)
            last = now
        running.clear()
        for t in threads:
            t.join(10)
        measured = sorted(per_second[1:] if len(per_second) > 1 else per_second)
        mid = len(measured) // 2
        median = 0 if not measured else (measured[mid] if len(measured) % 2 else (measured[mid - 1] + measured[mid]) // 2)
        emit({"event": "result", "kind": "throughput", "pub": args.pub, "length": length, "secs": args.secs,
              "msgs_per_s_median": median, "per_second": per_second, "sent": sent[0], "received": received[0]})
    finally:
        client.close()
        if embedded:
            embedded.close()
    return 0


# ---------------------------------------------------------------------------------------------------------
# Counters, error log, expected errors


def cmd_counters(aeron, args):
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        reader = aeron.aeron_counters_reader(client.client)
        if not reader:
            raise PeerError("aeron_counters_reader returned NULL")
        rows = []

        def on_counter(value, counter_id, type_id, key, key_length, label, label_length, clientd):
            text = ctypes.string_at(label, label_length).decode("utf-8", "replace") if label_length else ""
            rows.append((counter_id, type_id, value, text))

        fn = COUNTER_FUNC(on_counter)
        aeron.aeron_counters_reader_foreach_counter(reader, fn, None)
        for counter_id, type_id, value, label in rows:
            registration = c_int64(0)
            owner = c_int64(0)
            reference = c_int64(0)
            aeron.aeron_counters_reader_counter_registration_id(reader, counter_id, ctypes.byref(registration))
            aeron.aeron_counters_reader_counter_owner_id(reader, counter_id, ctypes.byref(owner))
            aeron.aeron_counters_reader_counter_reference_id(reader, counter_id, ctypes.byref(reference))
            emit({"event": "counter", "id": counter_id, "type_id": type_id, "registration_id": registration.value,
                  "owner_id": owner.value, "reference_id": reference.value, "value": value, "label": label})
        emit({"event": "done", "counters": len(rows)})
    finally:
        client.close()
    return 0


CNC_METADATA_LENGTH = 128  # AERON_CNC_VERSION_AND_META_DATA_LENGTH: two cache lines


def cmd_errors(aeron, args):
    path = os.path.join(args.dir, "cnc.dat")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise PeerError(f"cannot read {path}: {e}")
    if len(raw) < CNC_METADATA_LENGTH:
        raise PeerError(f"{path} too short ({len(raw)} bytes)")
    version, to_driver, to_clients, meta, values, error_log = struct.unpack_from("<6i", raw, 0)
    offset = CNC_METADATA_LENGTH + to_driver + to_clients + meta + values
    if error_log < 0 or offset + error_log > len(raw):
        raise PeerError(f"{path}: error log region out of bounds")
    buf = ctypes.create_string_buffer(raw[offset:offset + error_log], error_log)
    rows = []

    def on_error(count, first_ts, last_ts, text, length, clientd):
        rows.append({"event": "error", "observation_count": count, "first_observation_ms": first_ts,
                     "last_observation_ms": last_ts,
                     "message": ctypes.string_at(text, length).decode("utf-8", "replace")})

    fn = ERROR_LOG_FUNC(on_error)
    distinct = aeron.aeron_error_log_read(buf, error_log, fn, None, 0)
    for row in rows:
        emit(row)
    emit({"event": "done", "errors": int(distinct), "cnc_version": version})
    return 0


def cmd_cnc(aeron, args):
    """The CnC header as stored, the C library's liveness verdict, and (with --connect) a C client's id."""
    path = os.path.join(args.dir, "cnc.dat")
    try:
        with open(path, "rb") as f:
            raw = f.read(CNC_METADATA_LENGTH)
            size = os.fstat(f.fileno()).st_size
    except OSError as e:
        raise PeerError(f"cannot read {path}: {e}")
    if len(raw) < 52:
        raise PeerError(f"{path} too short ({len(raw)} bytes)")
    (version, to_driver, to_clients, meta, values, error_log, liveness_ns, start_ms, pid,
     page_size) = struct.unpack_from("<6iqqqi", raw, 0)
    emit({"event": "cnc", "cnc_version": version,
          "cnc_version_text": f"{(version >> 16) & 0xFF}.{(version >> 8) & 0xFF}.{version & 0xFF}",
          "to_driver_buffer_length": to_driver, "to_clients_buffer_length": to_clients,
          "counter_metadata_buffer_length": meta, "counter_values_buffer_length": values,
          "error_log_buffer_length": error_log, "client_liveness_timeout_ns": liveness_ns,
          "start_timestamp_ms": start_ms, "pid": pid, "file_page_size": page_size, "file_length": size})
    log = []
    log_fn = LOG_FUNC(lambda message: log.append(message.decode("utf-8", "replace") if message else ""))
    active = aeron.aeron_is_driver_active(args.dir.encode(), args.active_timeout_ms, ctypes.cast(log_fn, c_void_p))
    emit({"event": "driver_active", "active": bool(active), "log": log})
    if args.connect:
        client = Client(aeron, args.dir, args.client_timeout_ms)
        try:
            emit({"event": "client", "client_id": aeron.aeron_client_id(client.client)})
        finally:
            client.close()
    return 0


def cmd_add_expect_error(aeron, args, kind):
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        a = aeron
        async_ptr = c_void_p()
        if kind == "sub":
            rc = a.aeron_async_add_subscription(ctypes.byref(async_ptr), client.client, args.channel.encode(),
                                                args.stream, None, None, None, None)
            poll = a.aeron_async_add_subscription_poll
        elif args.exclusive:
            rc = a.aeron_async_add_exclusive_publication(ctypes.byref(async_ptr), client.client, args.channel.encode(),
                                                         args.stream)
            poll = a.aeron_async_add_exclusive_publication_poll
        else:
            rc = a.aeron_async_add_publication(ctypes.byref(async_ptr), client.client, args.channel.encode(), args.stream)
            poll = a.aeron_async_add_publication_poll
        if rc < 0:
            code, msg = a.error()
            emit({"event": "error", "stage": "add", "errcode": code, "errmsg": msg})
            return 0
        out = c_void_p()
        deadline = time.monotonic() + args.timeout_s
        while True:
            rc = poll(ctypes.byref(out), async_ptr)
            if rc < 0:
                code, msg = a.error()
                emit({"event": "error", "stage": "poll", "errcode": code, "errmsg": msg})
                return 0
            if rc > 0:
                emit({"event": "unexpected_success"})
                print(f"{kind} on {args.channel} stream {args.stream} was accepted", file=sys.stderr)
                return 1
            if time.monotonic() > deadline:
                raise PeerError("no answer from the driver", 3)
            time.sleep(0.0005)
    finally:
        client.close()


# ---------------------------------------------------------------------------------------------------------
# Client API of 1.47+ drivers: reject an image, watch publication errors, next available session id


def image_constants(aeron, image):
    constants = ImageConstants()
    aeron.check(aeron.aeron_image_constants(image, ctypes.byref(constants)), "aeron_image_constants")
    return constants


def first_image(aeron, sub, deadline):
    """Waits for the subscription's first image; returns it retained (release with aeron_subscription_image_release)."""
    while True:
        image = aeron.aeron_subscription_image_at_index(sub, 0)
        if image:
            return image
        if time.monotonic() > deadline:
            return None
        time.sleep(0.001)


def cmd_reject(aeron, args):
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        sub = client.add_subscription(args.channel, args.stream)
        emit({"event": "ready", "channel": args.channel, "stream": args.stream})
        deadline = time.monotonic() + args.timeout_s
        image = first_image(aeron, sub, deadline)
        if image is None:
            print("no image appeared", file=sys.stderr)
            return 3
        constants = image_constants(aeron, image)
        emit({"event": "image", "correlation_id": constants.correlation_id, "session_id": constants.session_id,
              "join_position": constants.join_position})
        received = [0]

        def on_fragment(clientd, buffer, length, header):
            received[0] += 1

        handler = FRAGMENT_HANDLER(on_fragment)
        while received[0] < args.count:
            if aeron.aeron_subscription_poll(sub, handler, None, 16) == 0:
                if time.monotonic() > deadline:
                    print(f"received {received[0]}/{args.count} before rejecting", file=sys.stderr)
                    return 3
                time.sleep(0.0005)
        position = aeron.aeron_image_position(image)
        aeron.check(aeron.aeron_image_reject(image, args.reason.encode()), "aeron_image_reject")
        aeron.aeron_subscription_image_release(sub, image)
        emit({"event": "rejected", "correlation_id": constants.correlation_id, "position": position, "received": received[0]})
        start = time.monotonic()
        while aeron.aeron_subscription_image_count(sub) > 0:
            aeron.aeron_subscription_poll(sub, handler, None, 16)
            if time.monotonic() > deadline:
                print("image still present after the rejection", file=sys.stderr)
                return 3
            time.sleep(0.001)
        emit({"event": "image_gone", "after_ms": int((time.monotonic() - start) * 1000)})
        if args.wait_back_s is not None:
            back_deadline = time.monotonic() + args.wait_back_s
            image = first_image(aeron, sub, back_deadline)
            if image is None:
                print(f"no image came back within {args.wait_back_s}s", file=sys.stderr)
                return 3
            constants = image_constants(aeron, image)
            aeron.aeron_subscription_image_release(sub, image)
            emit({"event": "image_back", "after_ms": int((time.monotonic() - start) * 1000),
                  "correlation_id": constants.correlation_id, "session_id": constants.session_id,
                  "join_position": constants.join_position})
        return 0
    finally:
        client.close()


def cmd_pub_error_watch(aeron, args):
    errors = []
    lock = threading.Lock()

    def on_publication_error(clientd, values_ptr):
        v = values_ptr.contents
        length = max(0, min(v.error_message_length, 4096))
        text = ctypes.string_at(ctypes.addressof(v) + ctypes.sizeof(PublicationErrorValues), length)
        event = {"event": "publication_error", "registration_id": v.registration_id,
                 "destination_registration_id": v.destination_registration_id, "session_id": v.session_id,
                 "stream_id": v.stream_id, "receiver_id": v.receiver_id, "group_tag": v.group_tag,
                 "address_type": v.address_type, "source_port": v.source_port,
                 "source_address": bytes(v.source_address).hex(), "error_code": v.error_code,
                 "error_message": text.decode("utf-8", "replace")}
        with lock:
            errors.append(event)

    client = Client(aeron, args.dir, args.client_timeout_ms, publication_error_handler=on_publication_error)
    try:
        pub = client.add_publication(args.channel, args.stream, args.exclusive)
        emit({"event": "publication", "channel": args.channel, "stream": args.stream, "exclusive": args.exclusive})
        pub.wait_connected(args.connect_timeout_s)
        emit({"event": "connected"})
        deadline = time.monotonic() + args.timeout_s
        sent = 0
        while True:
            with lock:
                got = list(errors)
            if got:
                for event in got:
                    emit(event)
                emit({"event": "done", "sent": sent, "connected": pub.is_connected()})
                if args.linger_s > 0:
                    # keep the publication (so a rejected image can come back after the driver's cool-down)
                    reconnect_deadline = time.monotonic() + args.linger_s
                    while time.monotonic() < reconnect_deadline:
                        if pub.is_connected():
                            emit({"event": "reconnected"})
                            break
                        time.sleep(0.001)
                    time.sleep(max(0.0, min(1.0, reconnect_deadline - time.monotonic())))
                return 0
            if sent < args.count and pub.offer(pattern(sent, 32), 32) > 0:
                sent += 1
            if time.monotonic() > deadline:
                print(f"no publication error within {args.timeout_s}s", file=sys.stderr)
                return 3
            time.sleep(0.001)
    finally:
        client.close()


def cmd_next_session_id(aeron, args):
    client = Client(aeron, args.dir, args.client_timeout_ms)
    try:
        for _ in range(args.count):
            async_ptr = c_void_p()
            aeron.check(aeron.aeron_async_next_session_id(ctypes.byref(async_ptr), client.client, args.stream),
                        "aeron_async_next_session_id")
            session_id = c_int32()
            deadline = time.monotonic() + args.timeout_s
            while True:
                rc = aeron.aeron_async_next_session_id_poll(ctypes.byref(session_id), async_ptr)
                if rc > 0:
                    break
                if rc < 0:
                    code, msg = aeron.error()
                    raise PeerError(f"aeron_async_next_session_id_poll failed: errcode={code} errmsg={msg}")
                if time.monotonic() > deadline:
                    raise PeerError("next session id timed out", 3)
                time.sleep(0.0005)
            emit({"event": "next_session_id", "stream": args.stream, "session_id": session_id.value})
        return 0
    finally:
        client.close()


def cmd_pattern(args):
    for case in args.cases.split(","):
        index, size = (int(x) for x in case.split(":"))
        emit({"event": "pattern", "index": index, "size": size, "hex": pattern(index, size).hex()})
    return 0


# ---------------------------------------------------------------------------------------------------------
# Command line


def add_driver_options(p):
    p.add_argument("--threading", choices=sorted(THREADING_MODES), default="shared")
    p.add_argument("--idle", default=None, help="driver idle strategy name: backoff, noop, yield, busy_spin, sleep-ns")
    p.add_argument("--term-length", type=int, default=None, help="term buffer length (IPC and network)")
    p.add_argument("--ipc-mtu", type=int, default=None)
    p.add_argument("--sparse", choices=["true", "false"], default=None)
    p.add_argument("--client-liveness-timeout-ns", type=int, default=None)
    p.add_argument("--timer-interval-ns", type=int, default=None)
    p.add_argument("--publication-linger-timeout-ns", type=int, default=None)
    p.add_argument("--image-liveness-timeout-ns", type=int, default=None)
    p.add_argument("--publication-unblock-timeout-ns", type=int, default=None)
    p.add_argument("--driver-timeout-ms", type=int, default=None)
    p.add_argument("--keep-dir", action="store_true", help="do not delete the directory on shutdown")
    p.add_argument("--no-delete-on-start", action="store_true",
                   help="do not delete an existing directory first (the driver then checks for an active driver)")
    p.add_argument("--print-config", action="store_true")


def build_parser():
    parser = argparse.ArgumentParser(prog="aeron_peer.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name, help_text):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--so", default=os.environ.get("TP_PYAERON_SO"), help="path of _pyaeron*.so (env TP_PYAERON_SO)")
        p.add_argument("--dir", required=True, help="Aeron directory")
        if name != "driver":
            p.add_argument("--client-timeout-ms", type=int, default=10000,
                           help="C client's driver timeout: how long aeron_init waits for a live driver")
        return p

    p = command("driver", "run the real C media driver until SIGTERM/SIGINT/stdin EOF")
    add_driver_options(p)
    p.add_argument("--no-stdin-watch", action="store_true", help="do not stop on stdin EOF")

    def channel_options(p, stream=1001):
        p.add_argument("--channel", default="aeron:ipc")
        p.add_argument("--stream", type=int, default=stream)

    p = command("pub", "publish --count pattern messages")
    channel_options(p)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--sizes", default="32", help="comma-separated message sizes, cycled")
    p.add_argument("--exclusive", action="store_true")
    p.add_argument("--try-claim", action="store_true", help="tryClaim+commit (sizes must fit one frame)")
    p.add_argument("--connect-timeout-s", type=float, default=10)
    p.add_argument("--timeout-s", type=float, default=60, help="overall deadline for offering")
    p.add_argument("--progress-every", type=int, default=0)
    p.add_argument("--linger-s", type=float, default=0, help="keep the publication open after sending")
    p.add_argument("--revoke", action="store_true", help="revoke the (exclusive) publication after sending")

    p = command("sub", "receive and verify --count pattern messages")
    channel_options(p)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--sizes", default=None, help="expected sizes, cycled (default: any size)")
    p.add_argument("--print-headers", type=int, default=0, metavar="N",
                   help="print the frame header values of the first N messages")
    p.add_argument("--print-fragments", type=int, default=0, metavar="N",
                   help="print the header values of the first N raw fragments (before reassembly)")
    p.add_argument("--wait-image-gone", type=float, default=None, metavar="S",
                   help="after the last message, wait up to S seconds for the publisher's image to disappear")
    p.add_argument("--timeout-s", type=float, default=60)
    p.add_argument("--progress-every", type=int, default=0)
    p.add_argument("--linger-s", type=float, default=0)

    for name in ("ping", "pong"):
        p = command(name, f"{name} side of a round-trip benchmark")
        p.add_argument("--channel", default="aeron:ipc")
        p.add_argument("--ping-stream", type=int, default=1002)
        p.add_argument("--pong-stream", type=int, default=1003)
        p.add_argument("--count", type=int, default=100000 if name == "ping" else 0,
                       help="round trips measured (ping) / messages to echo, 0 = until stopped (pong)")
        p.add_argument("--timeout-s", type=float, default=60,
                       help="ping: deadline for each reply; pong: longest time without a ping")
        if name == "ping":
            p.add_argument("--warmup", type=int, default=10000)
            p.add_argument("--length", type=int, default=32)
            p.add_argument("--connect-timeout-s", type=float, default=10)

    p = command("throughput", "publisher thread + subscriber thread, messages per second")
    channel_options(p)
    p.add_argument("--length", type=int, default=32)
    p.add_argument("--secs", type=int, default=5)
    p.add_argument("--pub", choices=["exclusive", "concurrent", "claim"], default="exclusive")
    p.add_argument("--embedded-driver", action="store_true", help="run a C media driver in this process on --dir")
    add_driver_options(p)

    command("counters", "list all counters of the driver in --dir")
    p = command("cnc", "the CnC header, whether the C library sees an active driver, optionally a client id")
    p.add_argument("--active-timeout-ms", type=int, default=10000,
                   help="heartbeat age under which aeron_is_driver_active reports the driver alive")
    p.add_argument("--connect", action="store_true", help="also connect a C client and print its client id")
    command("errors", "list the distinct errors in the driver's error log (cnc.dat)")

    p = sub.add_parser("pattern", help="print the message pattern bytes (hex) for index:size cases")
    p.add_argument("--cases", required=True, help="comma-separated INDEX:SIZE pairs, e.g. 0:0,5:9,300:70000")

    p = command("reject", "subscribe, receive --count messages, reject the first image, wait for it to go")
    channel_options(p)
    p.add_argument("--count", type=int, default=0, help="messages to receive before rejecting")
    p.add_argument("--reason", default="rejected by aeron_peer")
    p.add_argument("--wait-back-s", type=float, default=None, metavar="S",
                   help="after the image went away, wait up to S seconds for it to come back")
    p.add_argument("--timeout-s", type=float, default=30)

    p = command("pub-error-watch", "publish (up to --count messages) until a publication error frame arrives")
    channel_options(p)
    p.add_argument("--exclusive", action="store_true")
    p.add_argument("--count", type=int, default=1000000)
    p.add_argument("--linger-s", type=float, default=0,
                   help="after the error, keep the publication up to S seconds (prints reconnected if it reconnects)")
    p.add_argument("--connect-timeout-s", type=float, default=10)
    p.add_argument("--timeout-s", type=float, default=30)

    p = command("next-session-id", "ask the driver for the next available session id --count times")
    p.add_argument("--stream", type=int, default=1001)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--timeout-s", type=float, default=10)

    for name in ("add-pub-expect-error", "add-sub-expect-error"):
        p = command(name, "add a publication/subscription the driver should reject; print the error")
        channel_options(p)
        p.add_argument("--exclusive", action="store_true")
        p.add_argument("--timeout-s", type=float, default=10)
    return parser


def main(argv):
    args = build_parser().parse_args(argv)
    try:
        if args.command == "pattern":
            return cmd_pattern(args)
        aeron = Aeron(args.so)
        handlers = {
            "driver": cmd_driver, "pub": cmd_pub, "sub": cmd_sub, "ping": cmd_ping, "pong": cmd_pong,
            "throughput": cmd_throughput, "counters": cmd_counters, "errors": cmd_errors, "cnc": cmd_cnc,
            "add-pub-expect-error": lambda a, x: cmd_add_expect_error(a, x, "pub"),
            "add-sub-expect-error": lambda a, x: cmd_add_expect_error(a, x, "sub"),
            "reject": cmd_reject, "pub-error-watch": cmd_pub_error_watch, "next-session-id": cmd_next_session_id,
        }
        return handlers[args.command](aeron, args)
    except PeerError as e:
        print(f"aeron_peer {args.command}: {e}", file=sys.stderr)
        return e.status
    except BrokenPipeError:
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
