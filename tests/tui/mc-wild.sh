# tests/tui/mc-wild.sh -- the console's sendmail.mc screen on an mc edited
# by hand: a define and a FEATURE after LOCAL_CONFIG, a value in double
# quotes, a define that spans lines.  The screen shows what m4 gives the
# cf, one row per item.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
mc=$dir/etc/sendmail.mc
cat > "$T_TMP/block" <<'EOF'
define(`confSMTP_LOGIN_MSG',
	`$j mail
	    service')dnl
define(`confTO_CONNECT', ``12s'')dnl
define(`confMAX_RCPTS_PER_MESSAGE', `500')dnl
ifdef(`confSITE_EAST', `define(`confMAX_NOOP_COMMANDS', `40')',
	`define(`confMAX_NOOP_COMMANDS', `20')
	define(`confMAX_RCPTS_PER_MESSAGE', `100')')dnl
LOCAL_CONFIG
C{LocalRelays} relay-a.example.net
define(`confMAX_HOP', ``31'')dnl
FEATURE(`redirect')dnl
EOF
awk -v block="$T_TMP/block" '
/^MAILER_DEFINITIONS/ && !done { while ((getline l < block) > 0) print l; done = 1 }
{ print }' "$mc" > "$T_TMP/mc" && cat "$T_TMP/mc" > "$mc"

tui_console mcwild 100 30
see "dashboard" "smadm - Dashboard"
keys c
see "c opens the mc screen" "smadm - sendmail.mc"
see "a FEATURE after LOCAL_CONFIG is in the mc" "[x] redirect"
keys / confMAX_HOP Enter
see_re "the define after LOCAL_CONFIG, without m4's quotes" "= +confMAX_HOP +31  \(MaxHopCount\)"
keys / confSMTP_LOGIN_MSG Enter
see_re "a define on three lines, on one row" "= +confSMTP_LOGIN_MSG +\\\$j mail service  \(SmtpGreetingMessage\)"
keys / confTO_CONNECT Enter
see_re "a value in double quotes, without them" "= +confTO_CONNECT +12s  \(Timeout.connect\)"
not_see "no m4 quotes on the screen" "\`12s'"
keys / confMAX_NOOP_COMMANDS Enter
see_re "a define only an ifdef makes: m4 decides, not 'at its default'" \
    "= +confMAX_NOOP_COMMANDS +\(m4 decides, line [0-9]+: smadm mc get confMAX_NOOP_COMMANDS\)"
keys / confMAX_RCPTS_PER_MESSAGE Enter
see_re "a define that a later ifdef may change says so" \
    "= +confMAX_RCPTS_PER_MESSAGE +500  \(line [0-9]+: m4 may change it\)"
keys q
finish
