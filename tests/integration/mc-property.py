#!/usr/bin/env python3
# mc-property.py SMADM SANDBOX N SEED -- random and hostile values through
# "smadm mc set" then "smadm cf build" with the real m4 and sendmail.
#
# For every value: either mc set refuses it (exit non-zero, the mc is
# untouched, the message names the option), or the cf that cf build
# generates differs from the baseline cf in the option's line only, and
# that line carries the value exactly as given.  Whatever happens, no
# file appears in the sandbox (where the canary paths that the hostile
# values name are) and no command runs.  A value that sendmail itself
# refuses when cf build validates the cf (an unknown user) counts as
# refused: nothing is installed.
# Prints PASS/FAIL lines and "mc-property: N passed, N failed".
import os, random, subprocess, sys

smadm, sb, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
etc = os.path.join(sb, "etc")
mc = os.path.join(etc, "sendmail.mc")
new = os.path.join(etc, "sendmail.cf.smadm-new")
canary = os.path.join(sb, "canary")

OPTIONS = [  # define, cf option, pieces a good value is made of
    ("confSMTP_LOGIN_MSG", "SmtpGreetingMessage",
     ["$j", "ESMTP", "ready", "mail", "(no UCE)", "-", ",", ";", ":", "#",
      "Sendmail", "$v/$Z", "$b", "hello", "world", "x", "%", "!", "&",
      "\"", "[", "]", "{", "}", "*", "Müller", "=", "+", "?", "<", ">"]),
    ("confMAX_HOP", "MaxHopCount", ["1", "2", "25", "0", "9"]),
    ("confPRIVACY_FLAGS", "PrivacyOptions",
     ["authwarnings", "goaway", "noexpn", "novrfy", "restrictqrun",
      "restrictmailq", ",", " "]),
    ("confSAFE_FILE_ENV", "SafeFileEnvironment",
     ["/", "var", "mail", "spool", ".", "-", "_", "x1"]),
    ("confTO_QUEUEWARN", "Timeout.queuewarn", ["1", "4", "h", "m", "30", "d"]),
    ("confDEF_USER_ID", "DefaultUser", ["mail", "8", ":", "12", "nobody"]),
]
HOSTILE = [
    "syscmd(touch CANARY)", "esyscmd(touch CANARY)", "x syscmd(touch CANARY) y",
    "define(`_PROMISCUOUS_RELAY_', `1')", "define(_PROMISCUOUS_RELAY_, 1)",
    "FEATURE(promiscuous_relay)", "FEATURE(`promiscuous_relay')",
    "include(/etc/passwd)", "sinclude(/etc/shadow)", "maketemp(CANARYXXXXXX)",
    "mkstemp(CANARYXXXXXX)", "debugfile(CANARY)", "dnl", "divert(0)",
    "divert(-1)", "undivert", "changequote([,])", "changecom(@)", "m4exit(1)",
    "m4wrap(syscmd(touch CANARY))", "LOCAL_CONFIG", "LOCAL_RULESETS",
    "MAILER(prog)", "OSTYPE(linux)", "`", "'", "``", "''", "`x'", "$1", "$#",
    "$*", "$@", "$0", "(", ")", "(()", "())", "a\nb", "\x1b[2J", "\x00",
    "_PROMISCUOUS_RELAY_", "confSMTP_LOGIN_MSG", "SMART_HOST", "__file__",
    "__line__", "builtin(`syscmd', `touch CANARY')", "indir(`syscmd', x)",
    "pushdef(`x', `y')", "undefine(`MAILER')", "translit(a, b, c)",
    "ifelse(a, a, syscmd(touch CANARY))", "eval(1+1)", "format(%s, x)",
    "x)dnl\nsyscmd(touch CANARY)", "PUSHDIVERT(0)", "VERSIONID(x)",
    "DOMAIN(generic)", "HACK(x)", "lower", "CONCAT(a, b)", "DOL",
]
words = ["syscmd", "esyscmd", "define", "dnl", "include", "divert", "FEATURE",
         "LOCAL_CONFIG", "_X_", "confFOO", "index", "len", "eval", "`", "'",
         "(", ")", ",", "$", "$1", "$@", "#", "\\", "\t", "\n", "\x7f", "\x9b",
         "\u00e9", "dnl(", "sm_x", "ESMTP", "MAIL_HUB"]

def cf_lines(path):
    with open(path, "rb") as f:
        return [l for l in f.read().split(b"\n")
                if not l.startswith(b"##### built by") and
                not l.startswith(b"##### in ")]

def run(*argv):
    p = subprocess.run([smadm, "-r", sb] + list(argv), capture_output=True)
    return p.returncode, p.stdout + p.stderr

def snapshot():
    # the sandbox holds the canary paths; the rest of /tmp belongs to
    # whatever else runs on the machine
    seen = set()
    for d, dirs, files in os.walk(sb):
        for f in files:
            seen.add(os.path.join(d, f))
    return seen

with open(mc, "rb") as f:
    mc0 = f.read()
rc, out = run("cf", "build")
if rc != 0:
    print("FAIL  baseline cf build:", out.decode(errors="replace"))
    sys.exit(1)
base = cf_lines(new)
before = snapshot()

passed = failed = accepted = 0
def bad(msg):
    global failed
    failed += 1
    print("FAIL ", msg)

for i in range(n):
    define, option, pieces = OPTIONS[rnd.randrange(len(OPTIONS))]
    r = rnd.random()
    if i < len(HOSTILE):
        value = HOSTILE[i].replace("CANARY", canary)
    elif r < 0.5:
        value = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 5)))
        if define == "confSMTP_LOGIN_MSG":
            value = " ".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 5)))
    else:
        k = rnd.randint(1, 4)
        parts = [rnd.choice(pieces) for _ in range(k)] + \
                [rnd.choice(words).replace("CANARY", canary) for _ in range(rnd.randint(1, 3))]
        rnd.shuffle(parts)
        value = rnd.choice(["", " "]).join(parts)
    if "\x00" in value:  # argv cannot carry NUL: the shell would cut it
        value = value.replace("\x00", "")
    if value == "":
        continue
    with open(mc, "wb") as f:
        f.write(mc0)
    # "--" first, as a script passing any value should: a bare "--" (or
    # "-s", "--json") after NAME is not taken as the value otherwise.
    rc, out = run("mc", "set", "--", define, value)
    if rc != 0:
        with open(mc, "rb") as f:
            if f.read() != mc0:
                bad("%r refused but the mc changed" % value)
                continue
        if define.encode() not in out:
            bad("%r refused without naming %s: %r" % (value, define, out))
            continue
        passed += 1
    else:
        accepted += 1
        rc, out = run("cf", "build")
        if rc != 0 and b"sendmail rejects" in out and b"readcf: option" in out:
            # sendmail's own check, before anything is installed (an
            # unknown user, say): what validation is for
            passed += 1
            continue
        if rc != 0:
            bad("%s=%r accepted by mc set but cf build failed: %s" %
                (define, value, out.decode(errors="replace")[-300:]))
            continue
        got = cf_lines(new)
        diff = [(a, b) for a, b in zip(base, got) if a != b]
        want = ("O %s=%s" % (option, value)).encode()
        if len(got) != len(base) or len(diff) > 1 or \
                (diff and diff[0][1] != want) or \
                (not diff and want not in base):
            bad("%s=%r: the cf differs beyond the option line: %r" %
                (define, value, diff[:3] if len(got) == len(base) else
                 "%d lines instead of %d" % (len(got), len(base))))
            continue
        passed += 1
    if os.path.exists(canary) or any(p.startswith(canary) for p in os.listdir(sb)):
        bad("%r created the canary file: a command ran" % value)
        break

after = snapshot()
created = sorted(p for p in after - before
                 if not p.startswith(os.path.join(sb, ".smadm")) and
                 p != new and not p.startswith(os.path.join(sb, "var")) and
                 not p.startswith(os.path.join(sb, "log")))
if created:
    bad("files appeared: %r" % created[:10])
else:
    passed += 1
print("PASS  %d values checked (%d accepted and built, the rest refused)" %
      (passed, accepted) if failed == 0 else
      "FAIL  %d of the values broke the property" % failed)
if accepted < n // 10:
    bad("only %d of %d values were accepted: the property says little" % (accepted, n))
print("mc-property: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
