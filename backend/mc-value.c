/*
 * mc-value.c -- checking values before they are written into the mc (see
 * mc-value.h for the rules and why they are what they are).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mc-value.h"
#include "safe-text.h"

/*
 * GNU m4 1.4's builtins (as "m4" without -G defines them), those that
 * need arguments too: a word is refused whatever follows it.
 */
static const char *const m4_builtins[] = {
	"__file__", "__gnu__", "__line__", "__program__", "__unix__",
	"builtin", "changecom", "changequote",
	"debugfile", "debugmode", "decr", "define", "defn", "divert",
	"divnum", "dnl", "dumpdef", "errprint", "esyscmd", "eval", "format",
	"ifdef", "ifelse", "include", "incr", "index", "indir", "len",
	"m4exit", "m4wrap", "maketemp", "mkstemp", "patsubst", "popdef",
	"pushdef", "regexp", "shift", "sinclude", "substr", "syscmd",
	"sysval", "traceoff", "traceon", "translit", "undefine", "undivert"
};

/*
 * The macros that sendmail 8.17's cf tree defines, but for the names the
 * patterns of mc_value_is_macro() catch ("_", "conf" + capital, "sm_"
 * first): every define( and pushdef( of cf/ (Debian's ostype included).
 * Sorted.
 */
static const char *const cf_macros[] = {
	"ALIAS_FILE", "BITNET_RELAY", "CANONIFY_DOMAIN",
	"CANONIFY_DOMAIN_FILE", "CERT_DIR", "CF_LEVEL", "CHKORX",
	"CLIENT_OPTIONS", "CLT_FEAT_TAG", "CNF_MSG", "CONCAT",
	"CYRUSV2_MAILER_ARGS", "CYRUS_BB_MAILER_ARGS", "CYRUS_MAILER_ARGS",
	"CYRUS_MAILER_FLAGS", "CYRUS_MAILER_PATH", "CYRUS_MAILER_USER",
	"DAEMON_OPTIONS", "DANE_MSG", "DATABASE_MAP_TYPE", "DEBIAN_MSP",
	"DEBIAN_MTA", "DNSBL_MAP", "DOL", "DOMAIN", "DSMTP_MAILER_ARGS",
	"ESMTP_MAILER_ARGS", "EXPOSED_USER", "EXPOSED_USER_FILE",
	"FAX_MAILER_ARGS", "FAX_MAILER_MAX", "FAX_MAILER_PATH", "FEATURE",
	"GENERICS_DOMAIN", "GENERICS_DOMAIN_FILE", "HACK", "HELP_FILE",
	"INPUT_MAIL_FILTER", "LDAPROUTE_DOMAIN", "LDAPROUTE_DOMAIN_FILE",
	"LDAPROUTE_EQUIVALENT", "LDAPROUTE_EQUIVALENT_FILE",
	"LOCAL_CLT_FEATURES", "LOCAL_CONFIG", "LOCAL_DNSBL", "LOCAL_DOMAIN",
	"LOCAL_MAILER_ARGS", "LOCAL_MAILER_CHARSET",
	"LOCAL_MAILER_DSN_DIAGNOSTIC_CODE", "LOCAL_MAILER_FLAGS",
	"LOCAL_MAILER_PATH", "LOCAL_NET_CONFIG", "LOCAL_RELAY",
	"LOCAL_RULESETS", "LOCAL_RULE_0", "LOCAL_RULE_1", "LOCAL_RULE_2",
	"LOCAL_RULE_3", "LOCAL_RWR", "LOCAL_SHELL_ARGS", "LOCAL_SHELL_DIR",
	"LOCAL_SHELL_FLAGS", "LOCAL_SHELL_PATH", "LOCAL_SRV_FEATURES",
	"LOCAL_TLS_CLIENT", "LOCAL_TLS_RCPT", "LOCAL_TLS_SERVER",
	"LOCAL_TRY_TLS", "LOCAL_USER", "LOCAL_USER_FILE", "LOCAL_UUCP",
	"MAIL11_MAILER_ARGS", "MAIL11_MAILER_PATH", "MAILER",
	"MAILER_DEFINITIONS", "MAIL_FILTER", "MAIL_HUB", "MAIL_SETTINGS_DIR",
	"MASQUERADE_AS", "MASQUERADE_DOMAIN", "MASQUERADE_DOMAIN_FILE",
	"MASQUERADE_EXCEPTION", "MASQUERADE_EXCEPTION_FILE",
	"MASQUERADE_NAME", "MCI_CACHE_SIZE", "MODIFY_MAILER_FLAGS",
	"MSP_QUEUE_DIR", "OSTYPE", "PH_MAILER_ARGS", "PH_MAILER_PATH",
	"POPDIVERT", "POP_MAILER_ARGS", "POP_MAILER_PATH",
	"PROCMAIL_MAILER_ARGS", "PROCMAIL_MAILER_PATH", "PROT_MSG",
	"PUSHDIVERT", "QPAGE_MAILER_ARGS", "QPAGE_MAILER_MAX",
	"QPAGE_MAILER_PATH", "QUEUE_DIR", "QUEUE_GROUP", "RELAY_DOMAIN",
	"RELAY_DOMAIN_FILE", "RELAY_MAILER_ARGS", "SITE", "SITECONFIG",
	"SMART_HOST", "SMTP8_MAILER_ARGS", "SMTP_MAILER_ARGS", "SM_CPYRT",
	"SM_DATE", "SM_MAXVERS", "SM_MINVERS", "SM_VERS", "SRV_FEAT_TAG",
	"SSH_MAILER_ARGS", "SSH_MAILER_HOST", "SSH_MAILER_PATH",
	"SSH_REMOTE_COMMAND", "STATUS_FILE", "SW_MSG", "TEMPFILE",
	"TLS_CLT_TAG", "TLS_DSNCODE", "TLS_ERRCODE", "TLS_ERRORS",
	"TLS_RCPT_TAG", "TLS_SRV_TAG", "TLS_TRY_TAG", "TRUST_AUTH_MECH",
	"USENET_MAILER_ARGS", "USENET_MAILER_PATH", "USE_CW_FILE", "UUCPSMTP",
	"UUCP_MAILER_ARGS", "UUCP_MAILER_MAX", "UUCP_MAILER_PATH",
	"UUCP_RELAY", "VERSIONID", "VIRTUSER_DOMAIN", "VIRTUSER_DOMAIN_FILE",
	"XAGENT_MAILER_ARGS", "XAGENT_MAILER_FLAGS", "XAGENT_MAILER_PATH",
	"format", "hpux", "lower", "strcasecmp"
};

/* cf macros that take arguments: an mc calls them, it never defines them. */
static const char *const cf_call_macros[] = {
	"CANONIFY_DOMAIN", "CANONIFY_DOMAIN_FILE", "CF_LEVEL",
	"CLIENT_OPTIONS", "DAEMON_OPTIONS", "EXPOSED_USER",
	"EXPOSED_USER_FILE", "GENERICS_DOMAIN", "GENERICS_DOMAIN_FILE",
	"INPUT_MAIL_FILTER", "LDAPROUTE_DOMAIN", "LDAPROUTE_DOMAIN_FILE",
	"LDAPROUTE_EQUIVALENT", "LDAPROUTE_EQUIVALENT_FILE",
	"LOCAL_CLT_FEATURES", "LOCAL_CONFIG", "LOCAL_DNSBL", "LOCAL_DOMAIN",
	"LOCAL_NET_CONFIG", "LOCAL_RULESETS", "LOCAL_RULE_0", "LOCAL_RULE_1",
	"LOCAL_RULE_2", "LOCAL_RULE_3", "LOCAL_RWR", "LOCAL_SRV_FEATURES",
	"LOCAL_TLS_CLIENT", "LOCAL_TLS_RCPT", "LOCAL_TLS_SERVER",
	"LOCAL_TRY_TLS", "LOCAL_USER", "LOCAL_USER_FILE", "LOCAL_UUCP",
	"MAILER_DEFINITIONS", "MAIL_FILTER", "MASQUERADE_AS",
	"MASQUERADE_DOMAIN", "MASQUERADE_DOMAIN_FILE", "MASQUERADE_EXCEPTION",
	"MASQUERADE_EXCEPTION_FILE", "MASQUERADE_NAME", "MODIFY_MAILER_FLAGS",
	"QUEUE_GROUP", "RELAY_DOMAIN", "RELAY_DOMAIN_FILE", "TRUST_AUTH_MECH",
	"VIRTUSER_DOMAIN", "VIRTUSER_DOMAIN_FILE"
};

struct vtype_entry {
	const char	*define;
	enum mc_vtype	 type;
};

/*
 * sendmail 8.17's defines and what each accepts: the _OPTION()s of
 * m4/proto.m4 (types from their documented defaults, checked by hand),
 * then the defines cf.README describes elsewhere.  Sorted by name.
 */
static const struct vtype_entry vtypes[] = {
	{ "ALIAS_FILE", MCV_TEXT },
	{ "BITNET_RELAY", MCV_HOST },
	{ "CERT_DIR", MCV_PATH },
	{ "CYRUS_MAILER_FLAGS", MCV_WORD },
	{ "CYRUS_MAILER_MAX", MCV_NUMBER },
	{ "CYRUS_MAILER_PATH", MCV_PATH },
	{ "CYRUS_MAILER_USER", MCV_USERGROUP },
	{ "DATABASE_MAP_TYPE", MCV_WORD },
	{ "DECNET_RELAY", MCV_HOST },
	{ "FAX_MAILER_MAX", MCV_NUMBER },
	{ "FAX_MAILER_PATH", MCV_PATH },
	{ "FAX_RELAY", MCV_HOST },
	{ "HELP_FILE", MCV_PATH },
	{ "LOCAL_MAILER_FLAGS", MCV_WORD },
	{ "LOCAL_MAILER_MAX", MCV_NUMBER },
	{ "LOCAL_MAILER_MAXMSGS", MCV_NUMBER },
	{ "LOCAL_MAILER_PATH", MCV_PATH },
	{ "LOCAL_RELAY", MCV_HOST },
	{ "LOCAL_SHELL_DIR", MCV_PATH },
	{ "LOCAL_SHELL_FLAGS", MCV_WORD },
	{ "LOCAL_SHELL_PATH", MCV_PATH },
	{ "LUSER_RELAY", MCV_HOST },
	{ "MAIL11_MAILER_FLAGS", MCV_WORD },
	{ "MAIL11_MAILER_PATH", MCV_PATH },
	{ "MAIL_HUB", MCV_HOST },
	{ "MAIL_SETTINGS_DIR", MCV_PATH },
	{ "MSP_QUEUE_DIR", MCV_PATH },
	{ "PH_MAILER_FLAGS", MCV_WORD },
	{ "PH_MAILER_PATH", MCV_PATH },
	{ "POP_MAILER_FLAGS", MCV_WORD },
	{ "POP_MAILER_PATH", MCV_PATH },
	{ "PROCMAIL_MAILER_FLAGS", MCV_WORD },
	{ "PROCMAIL_MAILER_MAX", MCV_NUMBER },
	{ "PROCMAIL_MAILER_PATH", MCV_PATH },
	{ "QPAGE_MAILER_FLAGS", MCV_WORD },
	{ "QPAGE_MAILER_MAX", MCV_NUMBER },
	{ "QPAGE_MAILER_PATH", MCV_PATH },
	{ "QUEUE_DIR", MCV_PATH },
	{ "SMART_HOST", MCV_HOST },
	{ "SMTP_MAILER_FLAGS", MCV_WORD },
	{ "SMTP_MAILER_MAX", MCV_NUMBER },
	{ "SMTP_MAILER_MAXMSGS", MCV_NUMBER },
	{ "SMTP_MAILER_MAXRCPTS", MCV_NUMBER },
	{ "STATUS_FILE", MCV_PATH },
	{ "USENET_MAILER_FLAGS", MCV_WORD },
	{ "USENET_MAILER_MAX", MCV_NUMBER },
	{ "USENET_MAILER_PATH", MCV_PATH },
	{ "UUCP_MAILER_FLAGS", MCV_WORD },
	{ "UUCP_MAILER_MAX", MCV_NUMBER },
	{ "UUCP_MAILER_PATH", MCV_PATH },
	{ "UUCP_RELAY", MCV_HOST },
	{ "confALIAS_WAIT", MCV_DURATION },
	{ "confALLOW_BOGUS_HELO", MCV_BOOL },
	{ "confAUTH_MAX_BITS", MCV_NUMBER },
	{ "confAUTH_MECHANISMS", MCV_FLAGS },
	{ "confAUTH_OPTIONS", MCV_FLAGS },
	{ "confAUTH_REALM", MCV_TEXT },
	{ "confBAD_RCPT_THROTTLE", MCV_NUMBER },
	{ "confBIND_OPTS", MCV_FLAGS },
	{ "confBLANK_SUB", MCV_CHAR },
	{ "confCACERT", MCV_PATH },
	{ "confCACERT_PATH", MCV_PATH },
	{ "confCERT_FINGERPRINT_ALGORITHM", MCV_WORD },
	{ "confCF_VERSION", MCV_WORD },
	{ "confCHECKPOINT_INTERVAL", MCV_NUMBER },
	{ "confCHECK_ALIASES", MCV_BOOL },
	{ "confCIPHER_LIST", MCV_TEXT },
	{ "confCLIENT_CERT", MCV_PATH },
	{ "confCLIENT_KEY", MCV_PATH },
	{ "confCLIENT_SSL_OPTIONS", MCV_TEXT },
	{ "confCOLON_OK_IN_ADDR", MCV_BOOL },
	{ "confCONNECTION_RATE_THROTTLE", MCV_NUMBER },
	{ "confCONNECTION_RATE_WINDOW_SIZE", MCV_DURATION },
	{ "confCONNECT_ONLY_TO", MCV_HOST },
	{ "confCONTROL_SOCKET_NAME", MCV_PATH },
	{ "confCON_EXPENSIVE", MCV_BOOL },
	{ "confCOPY_ERRORS_TO", MCV_TEXT },
	{ "confCRL", MCV_PATH },
	{ "confCRL_PATH", MCV_PATH },
	{ "confCR_FILE", MCV_PATH },
	{ "confCT_FILE", MCV_PATH },
	{ "confCW_FILE", MCV_PATH },
	{ "confDANE", MCV_BOOL },
	{ "confDEAD_LETTER_DROP", MCV_PATH },
	{ "confDEF_AUTH_INFO", MCV_PATH },
	{ "confDEF_CHAR_SET", MCV_WORD },
	{ "confDEF_GROUP_ID", MCV_USERGROUP },
	{ "confDEF_USER_ID", MCV_USERGROUP },
	{ "confDELAY_LA", MCV_NUMBER },
	{ "confDELIVERY_MODE", MCV_WORD },
	{ "confDELIVER_BY_MIN", MCV_NUMBER },
	{ "confDF_BUFFER_SIZE", MCV_NUMBER },
	{ "confDH_PARAMETERS", MCV_TEXT },
	{ "confDIAL_DELAY", MCV_DURATION },
	{ "confDIRECT_SUBMISSION_MODIFIERS", MCV_TEXT },
	{ "confDOMAIN_NAME", MCV_HOST },
	{ "confDONT_BLAME_SENDMAIL", MCV_FLAGS },
	{ "confDONT_EXPAND_CNAMES", MCV_BOOL },
	{ "confDONT_INIT_GROUPS", MCV_BOOL },
	{ "confDONT_PROBE_INTERFACES", MCV_BOOL },
	{ "confDONT_PRUNE_ROUTES", MCV_BOOL },
	{ "confDOUBLE_BOUNCE_ADDRESS", MCV_TEXT },
	{ "confEBINDIR", MCV_PATH },
	{ "confEIGHT_BIT_HANDLING", MCV_WORD },
	{ "confERROR_MESSAGE", MCV_PATH },
	{ "confERROR_MODE", MCV_WORD },
	{ "confFALLBACK_MX", MCV_HOST },
	{ "confFALLBACK_SMARTHOST", MCV_HOST },
	{ "confFAST_SPLIT", MCV_NUMBER },
	{ "confFORWARD_PATH", MCV_PATH },
	{ "confFROM_LINE", MCV_TEXT },
	{ "confHOSTS_FILE", MCV_PATH },
	{ "confHOST_STATUS_DIRECTORY", MCV_PATH },
	{ "confIGNORE_DOTS", MCV_BOOL },
	{ "confINPUT_MAIL_FILTERS", MCV_FLAGS },
	{ "confLDAP_DEFAULT_SPEC", MCV_TEXT },
	{ "confLOCAL_MAILER", MCV_PATH },
	{ "confLOG_LEVEL", MCV_NUMBER },
	{ "confMAILBOX_DATABASE", MCV_WORD },
	{ "confMAILER_NAME", MCV_WORD },
	{ "confMATCH_GECOS", MCV_BOOL },
	{ "confMAX_ALIAS_RECURSION", MCV_NUMBER },
	{ "confMAX_DAEMON_CHILDREN", MCV_NUMBER },
	{ "confMAX_HEADERS_LENGTH", MCV_NUMBER },
	{ "confMAX_HOP", MCV_NUMBER },
	{ "confMAX_MESSAGE_SIZE", MCV_NUMBER },
	{ "confMAX_MIME_HEADER_LENGTH", MCV_NUMPAIR },
	{ "confMAX_NOOP_COMMANDS", MCV_NUMBER },
	{ "confMAX_QUEUE_AGE", MCV_DURATION },
	{ "confMAX_QUEUE_CHILDREN", MCV_NUMBER },
	{ "confMAX_QUEUE_RUN_SIZE", MCV_NUMBER },
	{ "confMAX_RCPTS_PER_MESSAGE", MCV_NUMBER },
	{ "confMAX_RUNNERS_PER_QUEUE", MCV_NUMBER },
	{ "confMCI_CACHE_SIZE", MCV_NUMBER },
	{ "confMCI_CACHE_TIMEOUT", MCV_DURATION },
	{ "confMESSAGE_TIMEOUT", MCV_DURPAIR },
	{ "confME_TOO", MCV_BOOL },
	{ "confMILTER_LOG_LEVEL", MCV_NUMBER },
	{ "confMILTER_MACROS_CONNECT", MCV_TEXT },
	{ "confMILTER_MACROS_DATA", MCV_TEXT },
	{ "confMILTER_MACROS_ENVFROM", MCV_TEXT },
	{ "confMILTER_MACROS_ENVRCPT", MCV_TEXT },
	{ "confMILTER_MACROS_EOH", MCV_TEXT },
	{ "confMILTER_MACROS_EOM", MCV_TEXT },
	{ "confMILTER_MACROS_HELO", MCV_TEXT },
	{ "confMIME_FORMAT_ERRORS", MCV_BOOL },
	{ "confMIN_FREE_BLOCKS", MCV_NUMBER },
	{ "confMIN_QUEUE_AGE", MCV_DURATION },
	{ "confMUST_QUOTE_CHARS", MCV_TEXT },
	{ "confNICE_QUEUE_RUN", MCV_NUMBER },
	{ "confNO_RCPT_ACTION", MCV_WORD },
	{ "confOLD_STYLE_HEADERS", MCV_BOOL },
	{ "confOPERATORS", MCV_TEXT },
	{ "confPID_FILE", MCV_PATH },
	{ "confPRIVACY_FLAGS", MCV_FLAGS },
	{ "confPROCESS_TITLE_PREFIX", MCV_TEXT },
	{ "confQUEUE_FACTOR", MCV_NUMBER },
	{ "confQUEUE_FILE_MODE", MCV_MODE },
	{ "confQUEUE_LA", MCV_NUMBER },
	{ "confQUEUE_SORT_ORDER", MCV_WORD },
	{ "confRAND_FILE", MCV_PATH },
	{ "confRECEIVED_HEADER", MCV_TEXT },
	{ "confREFUSE_LA", MCV_NUMBER },
	{ "confREJECT_LOG_INTERVAL", MCV_DURATION },
	{ "confREJECT_NUL", MCV_BOOL },
	{ "confREQUIRES_DIR_FSYNC", MCV_BOOL },
	{ "confRRT_IMPLIES_DSN", MCV_BOOL },
	{ "confRUN_AS_USER", MCV_USERGROUP },
	{ "confSAFE_FILE_ENV", MCV_PATH },
	{ "confSAFE_QUEUE", MCV_BOOL },
	{ "confSAVE_FROM_LINES", MCV_BOOL },
	{ "confSEPARATE_PROC", MCV_BOOL },
	{ "confSERVER_CERT", MCV_PATH },
	{ "confSERVER_KEY", MCV_PATH },
	{ "confSERVER_SSL_OPTIONS", MCV_TEXT },
	{ "confSERVICE_SWITCH_FILE", MCV_PATH },
	{ "confSEVEN_BIT_INPUT", MCV_BOOL },
	{ "confSHARED_MEMORY_KEY", MCV_NUMBER },
	{ "confSHARED_MEMORY_KEY_FILE", MCV_PATH },
	{ "confSINGLE_LINE_FROM_HEADER", MCV_BOOL },
	{ "confSINGLE_THREAD_DELIVERY", MCV_BOOL },
	{ "confSMTP_LOGIN_MSG", MCV_TEXT },
	{ "confSOFT_BOUNCE", MCV_BOOL },
	{ "confSSL_ENGINE", MCV_WORD },
	{ "confSSL_ENGINE_PATH", MCV_PATH },
	{ "confTEMP_FILE_MODE", MCV_MODE },
	{ "confTIME_ZONE", MCV_WORD },
	{ "confTLS_FALLBACK_TO_CLEAR", MCV_BOOL },
	{ "confTLS_SRV_OPTIONS", MCV_FLAGS },
	{ "confTO_ACONNECT", MCV_DURATION },
	{ "confTO_AUTH", MCV_DURATION },
	{ "confTO_COMMAND", MCV_DURATION },
	{ "confTO_CONNECT", MCV_DURATION },
	{ "confTO_CONTROL", MCV_DURATION },
	{ "confTO_DATABLOCK", MCV_DURATION },
	{ "confTO_DATAFINAL", MCV_DURATION },
	{ "confTO_DATAINIT", MCV_DURATION },
	{ "confTO_FILEOPEN", MCV_DURATION },
	{ "confTO_HELO", MCV_DURATION },
	{ "confTO_HOSTSTATUS", MCV_DURATION },
	{ "confTO_ICONNECT", MCV_DURATION },
	{ "confTO_IDENT", MCV_DURATION },
	{ "confTO_INITIAL", MCV_DURATION },
	{ "confTO_LHLO", MCV_DURATION },
	{ "confTO_MAIL", MCV_DURATION },
	{ "confTO_MISC", MCV_DURATION },
	{ "confTO_QUEUERETURN", MCV_DURATION },
	{ "confTO_QUEUERETURN_DSN", MCV_DURATION },
	{ "confTO_QUEUERETURN_NORMAL", MCV_DURATION },
	{ "confTO_QUEUERETURN_URGENT", MCV_DURATION },
	{ "confTO_QUEUEWARN", MCV_DURATION },
	{ "confTO_QUEUEWARN_DSN", MCV_DURATION },
	{ "confTO_QUEUEWARN_NORMAL", MCV_DURATION },
	{ "confTO_QUEUEWARN_URGENT", MCV_DURATION },
	{ "confTO_QUIT", MCV_DURATION },
	{ "confTO_RCPT", MCV_DURATION },
	{ "confTO_RESOLVER_RETRANS", MCV_DURATION },
	{ "confTO_RESOLVER_RETRANS_FIRST", MCV_DURATION },
	{ "confTO_RESOLVER_RETRANS_NORMAL", MCV_DURATION },
	{ "confTO_RESOLVER_RETRY", MCV_NUMBER },
	{ "confTO_RESOLVER_RETRY_FIRST", MCV_NUMBER },
	{ "confTO_RESOLVER_RETRY_NORMAL", MCV_NUMBER },
	{ "confTO_RSET", MCV_DURATION },
	{ "confTO_STARTTLS", MCV_DURATION },
	{ "confTRUSTED_USER", MCV_USERGROUP },
	{ "confTRUSTED_USERS", MCV_FLAGS },
	{ "confTRY_NULL_MX_LIST", MCV_BOOL },
	{ "confUNSAFE_GROUP_WRITES", MCV_BOOL },
	{ "confUSERDB_SPEC", MCV_TEXT },
	{ "confUSE_ERRORS_TO", MCV_BOOL },
	{ "confUSE_MSP", MCV_BOOL },
	{ "confUUCP_MAILER", MCV_WORD },
	{ "confWORK_CLASS_FACTOR", MCV_NUMBER },
	{ "confWORK_RECIPIENT_FACTOR", MCV_NUMBER },
	{ "confWORK_TIME_FACTOR", MCV_NUMBER },
	{ "confXF_BUFFER_SIZE", MCV_NUMBER },
};

/* PrivacyOptions words (sendmail's readcf.c PrivacyValues). */
static const char *const privacy_words[] = {
	"authwarnings", "goaway", "needexpnhelo", "needmailhelo",
	"needvrfyhelo", "noactualrecipient", "nobodyreturn", "noetrn",
	"noexpn", "noreceipts", "noverb", "novrfy", "public",
	"restrictexpand", "restrictmailq", "restrictqrun"
};

static int
cmp_vtype(const void *k, const void *e)
{
	return strcmp(k, ((const struct vtype_entry *)e)->define);
}

/*
 * A mailer's defines (SMTP_MAILER_ARGS, RELAY_MAILER_LL, LOCAL_SHELL_FLAGS,
 * ...) end up in an M line of the cf, whose fields a comma separates: by
 * their last word, none of them may hold one.
 */
static enum mc_vtype
mailer_type(const char *define)
{
	static const struct {
		const char	*suffix;
		enum mc_vtype	 type;
	} suffixes[] = {
		{ "_ARGS", MCV_ARGS }, { "_PATH", MCV_PATH },
		{ "_DIR", MCV_PATH }, { "_FLAGS", MCV_WORD },
		{ "_MAX", MCV_NUMBER }, { "_MAXMSGS", MCV_NUMBER },
		{ "_MAXRCPTS", MCV_NUMBER }, { "_LL", MCV_NUMBER },
		{ "_QGRP", MCV_WORD }, { "_CHARSET", MCV_WORD },
		{ "_USER", MCV_USERGROUP }, { "_HOST", MCV_HOST },
		{ "_DSN_DIAGNOSTIC_CODE", MCV_WORD }
	};
	size_t	i, n = strlen(define), k;

	for (i = 0; i < nitems(suffixes); i++) {
		k = strlen(suffixes[i].suffix);
		if (n > k && strcmp(define + n - k, suffixes[i].suffix) == 0)
			return suffixes[i].type;
	}
	return MCV_ARGS;
}

enum mc_vtype
mc_value_type(const char *define)
{
	const struct vtype_entry	*e;

	e = bsearch(define, vtypes, nitems(vtypes), sizeof vtypes[0],
	    cmp_vtype);
	if (e != NULL)
		return e->type;
	if (strstr(define, "_MAILER_") != NULL ||
	    strncmp(define, "LOCAL_SHELL_", 12) == 0)
		return mailer_type(define);
	return MCV_TEXT;
}

const char *
mc_value_type_name(enum mc_vtype t)
{
	switch (t) {
	case MCV_TEXT:		return "free text";
	case MCV_WORD:		return "one word (letters, digits, . _ - + /)";
	case MCV_CHAR:		return "one printable character";
	case MCV_NUMBER:	return "a whole number";
	case MCV_NUMPAIR:	return "a number or NUMBER/NUMBER";
	case MCV_BOOL:		return "True or False";
	case MCV_DURATION:	return "a duration (90, 5m, 1h30m; units s m h d w)";
	case MCV_DURPAIR:	return "a duration or DURATION/DURATION (5d/4h)";
	case MCV_MODE:		return "an octal file mode (0600)";
	case MCV_FLAGS:		return "a list of words separated by commas or blanks";
	case MCV_USERGROUP:	return "user[:group] (names or numbers)";
	case MCV_PATH:		return "a path (optionally after \"-o \")";
	case MCV_HOST:		return "a host ([mailer:]host, [address], :port)";
	case MCV_NAME:		return "a name (letters, digits, _, -, .)";
	case MCV_ARGS:		return "words separated by blanks, no comma (a "
				    "comma would end the mailer's field)";
	}
	return "a value";
}

static int
in_list(const char *const *list, size_t n, const char *w, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], w, len) == 0)
			return 1;
	return 0;
}

static int
is_m4_word_start(int c)
{
	return isalpha(c) || c == '_';
}

static int
is_m4_word(int c)
{
	return isalnum(c) || c == '_';
}

int
mc_value_is_macro(const char *w, size_t len, const struct strv *macros)
{
	size_t	i;

	if (len == 0)
		return 0;
	if (in_list(m4_builtins, nitems(m4_builtins), w, len) ||
	    in_list(cf_macros, nitems(cf_macros), w, len))
		return 1;
	if ((w[0] == '_' && len > 1) || (len > 4 && memcmp(w, "conf", 4) == 0 &&
	    isupper((unsigned char)w[4])) || (len > 3 &&
	    memcmp(w, "sm_", 3) == 0))
		return 1;
	/* Families that later cf trees extend: LOCAL_*, *_MAILER_*. */
	if ((len > 6 && memcmp(w, "LOCAL_", 6) == 0) ||
	    memmem(w, len, "_MAILER_", 8) != NULL)
		return 1;
	for (i = 0; macros != NULL && i < macros->n; i++)
		if (strlen(macros->v[i]) == len &&
		    memcmp(macros->v[i], w, len) == 0)
			return 1;
	return 0;
}

/* Shorten a value for a message: at most 60 bytes, printable. */
static char *
shown(const char *v)
{
	struct buf	b = BUF_INIT;
	const char	*p;

	for (p = v; *p != '\0' && b.len < 60; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			buf_printf(&b, "\\x%02x", (unsigned char)*p);
		else
			buf_addch(&b, *p);
	}
	if (*p != '\0')
		buf_addstr(&b, "...");
	return buf_detach(&b);
}

static int
refuse(char **cause, const char *what, const char *v, const char *fmt, ...)
    printflike(4, 5);

static int
refuse(char **cause, const char *what, const char *v, const char *fmt, ...)
{
	va_list	 ap;
	char	*why, *s;

	va_start(ap, fmt);
	why = xvasprintf(fmt, ap);
	va_end(ap);
	s = shown(v);
	*cause = xasprintf("%s: %s (value \"%s\")", what, why, s);
	free(s);
	free(why);
	return -1;
}

int
mc_value_check_m4(const char *what, const char *v, const struct strv *macros,
    char **cause)
{
	const unsigned char	*p, *w;
	unsigned int		 cp;
	int			 depth = 0, n;
	char			*word;
	int			 r;

	if (*v == ' ' || (*v != '\0' && v[strlen(v) - 1] == ' '))
		return refuse(cause, what, v, "leading or trailing blanks "
		    "would be lost (the mc's reader trims them)");
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p >= 0x80) {
			n = utf8_decode((const char *)p, strlen((const char *)p),
			    &cp);
			if (n <= 0)
				return refuse(cause, what, v, "byte \\x%02x is "
				    "not UTF-8", *p);
			if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029 ||
			    (cp >= 0x202a && cp <= 0x202e) ||
			    (cp >= 0x2066 && cp <= 0x2069))
				return refuse(cause, what, v, "control "
				    "character U+%04X", cp);
			p += n - 1;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			return refuse(cause, what, v, "control character "
			    "\\x%02x: a value is one line of text", *p);
		if (*p == '`' || *p == '\'')
			return refuse(cause, what, v, "the m4 quote "
			    "character %c cannot be carried by sendmail's cf "
			    "macros (m4 would end or start a quoted string "
			    "there)", *p);
		if (*p == '$' && (isdigit(p[1]) || p[1] == '#' ||
		    p[1] == '*' || p[1] == '@'))
			return refuse(cause, what, v, "\"$%c\" would be "
			    "replaced by m4 (a macro argument) when the cf is "
			    "built", p[1]);
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth < 0)
			return refuse(cause, what, v, "unbalanced \")\": m4 "
			    "would end a macro call of the cf there");
		if (!is_m4_word_start(*p))
			continue;
		for (w = p; is_m4_word(p[1]); p++)
			;
		if (!mc_value_is_macro((const char *)w, (size_t)(p - w + 1),
		    macros))
			continue;
		word = xstrndup((const char *)w, (size_t)(p - w + 1));
		r = refuse(cause, what, v, "\"%s\" is %s: m4 would expand it "
		    "when the cf is built", word,
		    in_list(m4_builtins, nitems(m4_builtins), word,
		    strlen(word)) ? "an m4 builtin" :
		    "a macro of sendmail's cf tree or of this mc");
		free(word);
		return r;
	}
	if (depth != 0)
		return refuse(cause, what, v, "unbalanced \"(\": m4 would "
		    "read the rest of the cf as this macro's arguments");
	return 0;
}

static int
all_of(const char *s, const char *set, int alnum)
{
	for (; *s != '\0'; s++)
		if (!(alnum && isalnum((unsigned char)*s)) &&
		    strchr(set, *s) == NULL)
			return 0;
	return 1;
}

static int
is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * The numbers sendmail reads right: most options go through atoi() into
 * an int, so more digits overflow and a negative number is read as
 * given (MaxHopCount=-5 bounces every message).  Three options mean
 * something by a negative number (DeliverByMin: the extension is not
 * offered; NiceQueueRun: a nice increment; SharedMemoryKey: -1 picks a
 * key), and two are longs (MaxMessageSize, MinFreeBlocks).
 */
static int
number_in_range(const char *what, const char *v, char **range)
{
	static const char *const signed_ok[] = { "confDELIVER_BY_MIN",
	    "confNICE_QUEUE_RUN", "confSHARED_MEMORY_KEY" };
	static const char *const longs[] = { "confMAX_MESSAGE_SIZE",
	    "confMIN_FREE_BLOCKS" };
	const char	*digits = *v == '-' ? v + 1 : v;
	long long	 max = 2147483647LL, min = 0;
	size_t		 i, n;
	int		 neg = *v == '-';

	for (i = 0; i < nitems(signed_ok); i++)
		if (strcmp(what, signed_ok[i]) == 0)
			min = -2147483647LL - 1;
	for (i = 0; i < nitems(longs); i++)
		if (strcmp(what, longs[i]) == 0)
			max = 9223372036854775807LL;
	/* MaxHopCount=0 takes every message with a Received: for a loop. */
	if (strcmp(what, "confMAX_HOP") == 0)
		min = 1;
	*range = xasprintf("a whole number from %lld to %lld", min, max);
	if (!is_number(v))
		return 0;
	while (*digits == '0' && digits[1] != '\0')
		digits++;
	n = strlen(digits);
	if (n > 19)
		return 0;
	if (n == 19 && strcmp(digits, "9223372036854775807") > 0)
		return 0;
	errno = 0;
	if (neg)
		return min < 0 && strtoll(v, NULL, 10) >= min && errno == 0;
	return strtoll(digits, NULL, 10) <= max &&
	    strtoll(digits, NULL, 10) >= min && errno == 0;
}

static int
is_duration(const char *s, const char *end)
{
	const char	*p = s;

	if (p == end)
		return 0;
	while (p < end) {
		if (!isdigit((unsigned char)*p))
			return 0;
		while (p < end && isdigit((unsigned char)*p))
			p++;
		if (p < end && strchr("smhdw", *p) != NULL)
			p++;
	}
	return 1;
}

static int
is_pair(const char *v, int (*one)(const char *, const char *))
{
	const char	*slash = strchr(v, '/');

	if (slash == NULL)
		return one(v, v + strlen(v));
	return one(v, slash) && one(slash + 1, slash + 1 + strlen(slash + 1));
}

static int
is_number_range(const char *s, const char *end)
{
	char	*t = xstrndup(s, (size_t)(end - s));
	int	 r = is_number(t);

	free(t);
	return r;
}

static int
is_bool(const char *v)
{
	static const char *const words[] = { "true", "false", "yes", "no",
	    "t", "f", "y", "n" };
	size_t	i;

	for (i = 0; i < nitems(words); i++)
		if (strcasecmp(v, words[i]) == 0)
			return 1;
	return 0;
}

static int
is_name(const char *s)
{
	return *s != '\0' && *s != '-' && all_of(s, "_.-", 1);
}

static int
check_flags(const char *define, const char *what, const char *v,
    char **cause)
{
	const char	*p = v, *w;
	size_t		 n, i;

	while (*p != '\0') {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p != '\0' && *p != ',' && *p != ' ' &&
		    *p != '\t'; p++)
			;
		n = (size_t)(p - w);
		for (i = 0; i < n; i++)
			if (!isalnum((unsigned char)w[i]) &&
			    strchr("_.+-=/:@", w[i]) == NULL)
				return refuse(cause, what, v, "\"%.*s\" is not "
				    "a flag word (expected %s)", (int)n, w,
				    mc_value_type_name(MCV_FLAGS));
		if (strcmp(define, "confPRIVACY_FLAGS") != 0)
			continue;
		for (i = 0; i < nitems(privacy_words); i++)
			if (strlen(privacy_words[i]) == n &&
			    strncasecmp(privacy_words[i], w, n) == 0)
				break;
		if (i == nitems(privacy_words))
			return refuse(cause, what, v, "\"%.*s\" is not a "
			    "PrivacyOptions word (authwarnings, goaway, "
			    "noexpn, novrfy, restrictmailq, restrictqrun, "
			    "...): sendmail would refuse it", (int)n, w);
	}
	return 0;
}

static int
check_usergroup(const char *v)
{
	char	*s = xstrdup(v), *colon;
	int	 ok;

	if ((colon = strchr(s, ':')) != NULL)
		*colon++ = '\0';
	ok = is_name(s) && (colon == NULL || is_name(colon));
	free(s);
	return ok;
}

static int
check_path(const char *v)
{
	if (strncmp(v, "-o ", 3) == 0)
		v += 3;
	return *v != '\0' && *v != '-' && strpbrk(v, " \t,") == NULL;
}

/*
 * Most path options name a file or directory from /; a few are relative
 * by design (HostStatusDirectory lives in the queue directory), start with
 * a macro ($z/.forward), or are not quite paths (ErrorHeader may be text,
 * RandFile "egd:/path", the local mailer's name, a mailer's [IPC]).
 */
static int
path_may_be_relative(const char *what, const char *v)
{
	static const char *const relative_ok[] = { "confHOST_STATUS_DIRECTORY",
	    "confFORWARD_PATH", "confERROR_MESSAGE", "confLOCAL_MAILER",
	    "confRAND_FILE", "confDEF_AUTH_INFO" };
	size_t	i;

	if (strncmp(v, "-o ", 3) == 0)
		v += 3;
	/* [IPC], [TCP]: a mailer's path that is no file. */
	if (*v == '/' || *v == '$' || *v == '[')
		return 1;
	for (i = 0; i < nitems(relative_ok); i++)
		if (strcmp(what, relative_ok[i]) == 0)
			return 1;
	return 0;
}

/*
 * AliasFile: a comma-separated list of files, each "/path" or
 * "type:/path"; a type with other arguments (nis:mail.aliases,
 * ldap:-k ...) is the map's business.
 */
static int
alias_files_ok(const char *v)
{
	const char	*p = v, *e, *colon;
	size_t		 n;

	for (;;) {
		while (*p == ' ')
			p++;
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		colon = memchr(p, ':', n);
		if (n == 0 || (colon == NULL && *p != '/'))
			return 0;
		if (e == NULL)
			return 1;
		p = e + 1;
	}
}

static int
check_host(const char *v)
{
	const char	*p;
	int		 alnum = 0, depth = 0;

	for (p = v; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p))
			alnum = 1;
		else if (*p == '[') {
			if (depth++ != 0)
				return 0;
		} else if (*p == ']') {
			if (--depth != 0)
				return 0;
		} else if (strchr(".-_:${}", *p) == NULL)
			return 0;
	}
	return alnum && depth == 0;
}

int
mc_value_check_as(enum mc_vtype t, const char *what, const char *v,
    const struct strv *macros, char **cause)
{
	char	*range = NULL;
	int	 ok = 1, r;

	if (mc_value_check_m4(what, v, macros, cause) != 0)
		return -1;
	switch (t) {
	case MCV_TEXT:
		if (strcmp(what, "ALIAS_FILE") == 0 && !alias_files_ok(v))
			return refuse(cause, what, v, "expected alias files "
			    "by absolute path, each optionally after a map "
			    "type (hash:/etc/mail/aliases), separated by "
			    "commas (sendmail would read a relative one from "
			    "whatever directory it runs in)");
		break;
	case MCV_ARGS:
		ok = strchr(v, ',') == NULL;
		break;
	case MCV_WORD:
		ok = *v != '\0' && all_of(v, "._-+/", 1);
		break;
	case MCV_CHAR:
		ok = strlen(v) == 1 && v[0] != ' ';
		break;
	case MCV_NUMBER:
		if (!number_in_range(what, v, &range)) {
			r = refuse(cause, what, v, "expected %s", range);
			free(range);
			return r;
		}
		free(range);
		break;
	case MCV_NUMPAIR:
		ok = is_pair(v, is_number_range);
		break;
	case MCV_BOOL:
		ok = is_bool(v);
		break;
	case MCV_DURATION:
		ok = is_duration(v, v + strlen(v));
		break;
	case MCV_DURPAIR:
		ok = is_pair(v, is_duration);
		break;
	case MCV_MODE:
		ok = (strlen(v) == 3 || strlen(v) == 4) &&
		    strspn(v, "01234567") == strlen(v);
		break;
	case MCV_FLAGS:
		return check_flags(what, what, v, cause);
	case MCV_USERGROUP:
		ok = check_usergroup(v);
		break;
	case MCV_PATH:
		ok = check_path(v);
		if (ok && !path_may_be_relative(what, v)) {
			return refuse(cause, what, v, "expected an absolute "
			    "path (sendmail would read a relative one from "
			    "whatever directory it runs in)");
		}
		break;
	case MCV_HOST:
		ok = check_host(v);
		break;
	case MCV_NAME:
		ok = is_name(v) && *v != '.' && strstr(v, "..") == NULL;
		break;
	}
	if (!ok)
		return refuse(cause, what, v, "expected %s",
		    mc_value_type_name(t));
	return 0;
}

int
mc_value_check(const char *define, const char *v, const struct strv *macros,
    char **cause)
{
	return mc_value_check_as(mc_value_type(define), define, v, macros,
	    cause);
}

int
mc_value_check_define(const char *name, char **cause)
{
	const char	*p;
	size_t		 len = strlen(name);
	int		 caps = 1, under = 0;

	if (*name == '\0' || !is_m4_word_start((unsigned char)*name))
		goto notname;
	for (p = name; *p != '\0'; p++) {
		if (!is_m4_word((unsigned char)*p))
			goto notname;
		if (islower((unsigned char)*p))
			caps = 0;
		if (*p == '_')
			under = 1;
	}
	if (in_list(m4_builtins, nitems(m4_builtins), name, len)) {
		*cause = xasprintf("\"%s\" is an m4 builtin, not a define "
		    "of sendmail's cf macros", name);
		return -1;
	}
	if (*name == '_') {
		*cause = xasprintf("\"%s\" is internal to sendmail's cf "
		    "macros (names starting with _ are set by FEATUREs, not "
		    "by hand)", name);
		return -1;
	}
	if (in_list(cf_call_macros, nitems(cf_call_macros), name, len)) {
		*cause = xasprintf("\"%s\" is a macro of sendmail's cf that "
		    "an mc calls, not a define", name);
		return -1;
	}
	if (bsearch(name, vtypes, nitems(vtypes), sizeof vtypes[0],
	    cmp_vtype) != NULL)
		return 0;
	if (len > 4 && memcmp(name, "conf", 4) == 0 &&
	    (isupper((unsigned char)name[4]) || isdigit((unsigned char)name[4])))
		return 0;
	if (caps && under && isupper((unsigned char)*name))
		return 0;
	*cause = xasprintf("\"%s\" is not a define that sendmail's cf macros "
	    "read (confNAME, or a documented NAME_LIKE_THIS): defining it "
	    "would change every place where m4 meets the word %s in the cf",
	    name, name);
	return -1;
notname:
	*cause = xasprintf("\"%s\" is not an m4 name (letters, digits, _)",
	    name);
	return -1;
}

/* Builtins that change macros, files, diversions or quoting, or run. */
static const char *const m4_active[] = {
	"builtin", "changecom", "changequote", "debugfile", "define", "defn",
	"divert", "dnl", "esyscmd", "include", "indir", "m4exit", "m4wrap",
	"maketemp", "mkstemp", "popdef", "pushdef", "sinclude", "syscmd",
	"undefine", "undivert"
};

/* cf macros that add features, mailers or raw cf text. */
static const char *const cf_active[] = {
	"DOMAIN", "FEATURE", "HACK", "MAILER", "OSTYPE", "POPDIVERT",
	"PUSHDIVERT", "SITECONFIG", "VERSIONID"
};

char *
mc_value_active(const char *v)
{
	const unsigned char	*p, *w;
	size_t			 len;

	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (!is_m4_word_start(*p))
			continue;
		for (w = p; is_m4_word(p[1]); p++)
			;
		len = (size_t)(p - w + 1);
		if (in_list(m4_active, nitems(m4_active), (const char *)w,
		    len) || in_list(cf_call_macros, nitems(cf_call_macros),
		    (const char *)w, len) || in_list(cf_active,
		    nitems(cf_active), (const char *)w, len))
			return xstrndup((const char *)w, len);
	}
	return NULL;
}

int
mc_value_is_m4_active(const char *name)
{
	return in_list(m4_active, nitems(m4_active), name, strlen(name));
}

int
mc_value_known_define(const char *name)
{
	size_t	len = strlen(name);

	if (bsearch(name, vtypes, nitems(vtypes), sizeof vtypes[0],
	    cmp_vtype) != NULL)
		return 1;
	return in_list(cf_macros, nitems(cf_macros), name, len) &&
	    (strstr(name, "_MAILER_") != NULL ||
	    strncmp(name, "LOCAL_SHELL_", 12) == 0);
}
