# queue-bp.py -- compare "smadm queue list --json" with "sendmail -bp".
# usage: python3 queue-bp.py BP_OUTPUT SMADM_JSON
# Prints one line per disagreement and "agree N" when all agree.
import json, re, sys

def parse_bp(text):
    msgs, cur = {}, None
    for line in text.split('\n'):
        m = re.match(r'^([0-9A-Za-x]{8,20})([*X-])?\s+(\d+) (.{16}) (.*)$', line)
        if m:
            cur = {'id': m.group(1), 'locked': m.group(2) == '*',
                   'size': int(m.group(3)), 'sender': m.group(5).strip(),
                   'rcpts': [], 'status': None, 'quarantine': None}
            msgs[cur['id']] = cur
            continue
        if re.match(r'^\t+/.* \(\d+ requests?\)$', line):
            cur = None          # the next directory's heading
            continue
        if cur is None or not line.strip() or line.lstrip().startswith('Total requests'):
            continue
        s = line.strip()
        if s.startswith('QUARANTINE: '):
            cur['quarantine'] = s[len('QUARANTINE: '):]
        elif '(' in s and s.endswith(')') and not line.startswith('\t'):
            cur['status'] = s[s.index('(') + 1:-1]
        elif line.startswith('\t'):
            cur['rcpts'].append(s)
    return msgs

bp = parse_bp(open(sys.argv[1], encoding='latin-1').read())
sm = {m['id']: m for m in json.load(open(sys.argv[2]))}
bad = 0
for qid in sorted(set(bp) | set(sm)):
    if qid not in bp:
        print('only in smadm:', qid); bad += 1; continue
    if qid not in sm:
        print('only in sendmail -bp:', qid); bad += 1; continue
    b, s = bp[qid], sm[qid]
    if b['sender'] != s['sender']:
        print(qid, 'sender', repr(b['sender']), repr(s['sender'])); bad += 1
    if sorted(b['rcpts']) != sorted(r['address'] for r in s['recipients']):
        print(qid, 'recipients', b['rcpts'], [r['address'] for r in s['recipients']]); bad += 1
    # -bp cuts long status lines: it must be a prefix of the M line.
    if (b['status'] or '') != (s['status'] or '')[:len(b['status'] or '')] or \
       (b['status'] is None) != (s['status'] is None):
        print(qid, 'status', repr(b['status']), repr(s['status'])); bad += 1
    if b['quarantine'] != s['quarantine']:
        print(qid, 'quarantine', repr(b['quarantine']), repr(s['quarantine'])); bad += 1
    if b['size'] != s['size']:
        print(qid, 'size', b['size'], s['size']); bad += 1
if bad == 0:
    print('agree', len(bp))
sys.exit(1 if bad else 0)
