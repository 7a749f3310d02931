/*
 * cmd-completion.c -- "smadm completion bash|zsh": a shell completion
 * script written from the command table, so that the command words, the
 * options of each command and the values some options take are the ones
 * the parser (cmd-args.c) accepts.  zsh runs the bash script through its
 * bashcompinit.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Names, options and argument names are plain words; quote them anyway. */
static void
comp_word(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* "-s --sort -r --reverse ..." for ce, --json included where it applies. */
static void
comp_opts(FILE *f, const struct cmd_entry *ce)
{
	const struct cmd_opt	*o;
	int			 json = 0;

	for (o = ce->opts; o != NULL && o->ch != 0; o++) {
		if (!(o->flags & CMD_OPT_LONG))
			fprintf(f, "-%c ", o->ch);
		fprintf(f, "--%s ", o->name);
		json |= strcmp(o->name, "json") == 0;
	}
	if ((ce->flags & CMD_JSON) && !json)
		fputs("--json", f);
}

/* Case patterns "'-s'|'--sort'" of the options of table that take ARG. */
static void
comp_arg_cases(FILE *f, const char *prefix, const struct cmd_opt *table)
{
	const struct cmd_opt	*o;
	char			*pat;

	for (o = table; o != NULL && o->ch != 0; o++) {
		if (o->arg == NULL)
			continue;
		fputs("\t", f);
		if (!(o->flags & CMD_OPT_LONG)) {
			pat = xasprintf("%s-%c", prefix, o->ch);
			comp_word(f, pat);
			free(pat);
			fputc('|', f);
		}
		pat = xasprintf("%s--%s", prefix, o->name);
		comp_word(f, pat);
		free(pat);
		fputs(") echo ", f);
		comp_word(f, o->arg);
		fputs(";;\n", f);
	}
}

static const char comp_body[] =
"# The words of an ARG: a list like \"mta|submit|all\", or files.\n"
"_smadm_values() {\n"
"\tcase $1 in\n"
"\t*'|'*) compgen -W \"${1//|/ }\" -- \"$2\";;\n"
"\tDIR) compgen -d -- \"$2\";;\n"
"\tHOST) compgen -A hostname -- \"$2\";;\n"
"\tFILE|PATH) compgen -f -- \"$2\";;\n"
"\tesac\n"
"}\n"
"\n"
"_smadm() {\n"
"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= w i name= n arg\n"
"\tlocal -a words=() global=()\n"
"\tCOMPREPLY=()\n"
"\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
"\t# smadm's own options come first; then the command's words.\n"
"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
"\t\tw=${COMP_WORDS[i]}\n"
"\t\tif [ ${#words[@]} -eq 0 ] && [ \"${w#-}\" != \"$w\" ]; then\n"
"\t\t\tglobal+=(\"$w\")\n"
"\t\t\tif [ -n \"$(_smadm_global_arg \"$w\")\" ]; then\n"
"\t\t\t\t((i++))\n"
"\t\t\t\tglobal+=(\"${COMP_WORDS[i]}\")\n"
"\t\t\tfi\n"
"\t\t\tcontinue\n"
"\t\tfi\n"
"\t\twords+=(\"$w\")\n"
"\tdone\n"
"\t# The longest command name the words start with.\n"
"\twhile IFS= read -r n; do\n"
"\t\tcase \" ${words[*]} \" in\n"
"\t\t\" $n \"*) [ ${#n} -gt ${#name} ] && name=$n;;\n"
"\t\tesac\n"
"\tdone <<< \"$_smadm_names\"\n"
"\tif [ -z \"$name\" ]; then\n"
"\t\tif [ ${#words[@]} -eq 0 ]; then\n"
"\t\t\targ=$(_smadm_global_arg \"$prev\")\n"
"\t\t\tif [ -n \"$arg\" ] && [ \"$COMP_CWORD\" -gt 1 ]; then\n"
"\t\t\t\tCOMPREPLY=($(_smadm_values \"$arg\" \"$cur\"))\n"
"\t\t\t\treturn\n"
"\t\t\tfi\n"
"\t\t\tif [ \"${cur#-}\" != \"$cur\" ]; then\n"
"\t\t\t\tCOMPREPLY=($(compgen -W \"$_smadm_global\" -- \"$cur\"))\n"
"\t\t\t\treturn\n"
"\t\t\tfi\n"
"\t\tfi\n"
"\t\t# The next word of the names that start with the words.\n"
"\t\targ=$(while IFS= read -r n; do\n"
"\t\t\tcase \"$n \" in\n"
"\t\t\t\"${words[*]}${words[*]:+ }\"*)\n"
"\t\t\t\tn=${n#\"${words[*]}\"}; n=${n# }; echo \"${n%% *}\";;\n"
"\t\t\tesac\n"
"\t\tdone <<< \"$_smadm_names\" | sort -u)\n"
"\t\tCOMPREPLY=($(compgen -W \"$arg\" -- \"$cur\"))\n"
"\t\treturn\n"
"\tfi\n"
"\t# --opt=VALUE: one word here, three (--opt = VALUE) in bash.\n"
"\tif [ \"$cur\" = = ] && [ \"${prev#--}\" != \"$prev\" ]; then\n"
"\t\tCOMPREPLY=($(_smadm_values \"$(_smadm_arg \"$name\" \"$prev\")\" ''))\n"
"\t\treturn\n"
"\tfi\n"
"\tif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -gt 2 ]; then\n"
"\t\tw=${COMP_WORDS[COMP_CWORD-2]}\n"
"\t\tCOMPREPLY=($(_smadm_values \"$(_smadm_arg \"$name\" \"$w\")\" \"$cur\"))\n"
"\t\treturn\n"
"\tfi\n"
"\tcase $cur in\n"
"\t--*=*)\n"
"\t\targ=$(_smadm_arg \"$name\" \"${cur%%=*}\")\n"
"\t\t[ -n \"$arg\" ] && COMPREPLY=($(_smadm_values \"$arg\" \"${cur#*=}\" |\n"
"\t\t    sed \"s|^|${cur%%=*}=|\"))\n"
"\t\treturn;;\n"
"\tesac\n"
"\targ=$(_smadm_arg \"$name\" \"$prev\")\n"
"\tif [ -n \"$arg\" ]; then\n"
"\t\tCOMPREPLY=($(_smadm_values \"$arg\" \"$cur\"))\n"
"\t\treturn\n"
"\tfi\n"
"\tif [ \"${cur#-}\" != \"$cur\" ]; then\n"
"\t\tCOMPREPLY=($(compgen -W \"$(_smadm_opts \"$name\")\" -- \"$cur\"))\n"
"\t\treturn\n"
"\tfi\n"
"\t# The words after the command's name that are not options.\n"
"\tn=0\n"
"\tfor w in \"${words[@]:$(($(wc -w <<< \"$name\")))}\"; do\n"
"\t\t[ \"${w#-}\" = \"$w\" ] && n=$((n + 1))\n"
"\tdone\n"
"\tcase $name in\n"
"\t'map '*)\n"
"\t\t# The first word is a table: ask smadm (-r/-H as given).\n"
"\t\t[ \"$n\" = 0 ] && [ \"$name\" != 'map list' ] &&\n"
"\t\t    COMPREPLY=($(compgen -W \"$(\"${COMP_WORDS[0]}\" \\\n"
"\t\t    \"${global[@]}\" map list 2>/dev/null | awk 'NR > 1 { print $1 }')\" \\\n"
"\t\t    -- \"$cur\"));;\n"
"\thelp)\n"
"\t\t# The next word of the names that start with help's words.\n"
"\t\tw=\"${words[*]:1}\"\n"
"\t\targ=$(while IFS= read -r n; do\n"
"\t\t\tcase \"$n \" in\n"
"\t\t\t\"$w${w:+ }\"*) n=${n#\"$w\"}; n=${n# }; echo \"${n%% *}\";;\n"
"\t\t\tesac\n"
"\t\tdone <<< \"$_smadm_names\" | sort -u)\n"
"\t\tCOMPREPLY=($(compgen -W \"$arg\" -- \"$cur\"));;\n"
"\tcompletion) COMPREPLY=($(compgen -W 'bash zsh' -- \"$cur\"));;\n"
"\t'sandbox '*) COMPREPLY=($(compgen -d -- \"$cur\"));;\n"
"\tesac\n"
"}\n"
"complete -F _smadm smadm\n";

int
cmd_completion(FILE *f, const char *shell)
{
	const struct cmd_entry	*ce;
	const struct cmd_opt	*o;
	char			*prefix;
	size_t			 i;

	if (strcmp(shell, "zsh") == 0)
		fputs("# zsh completion for smadm, generated by \"smadm "
		    "completion zsh\":\n# add eval \"$(smadm completion "
		    "zsh)\" to ~/.zshrc.\nautoload -U +X bashcompinit && "
		    "bashcompinit\n", f);
	else if (strcmp(shell, "bash") == 0)
		fputs("# bash completion for smadm, generated by \"smadm "
		    "completion bash\":\n# add eval \"$(smadm completion "
		    "bash)\" to ~/.bashrc.\n", f);
	else
		return -1;

	fputs("_smadm_names=", f);
	fputc('\'', f);
	for (i = 0; (ce = cmd_table[i]) != NULL; i++)
		if (!(ce->flags & CMD_HIDDEN))
			fprintf(f, "%s%s", i > 0 ? "\n" : "", ce->name);
	fputs("'\n_smadm_global='", f);
	for (o = cmd_global_opts; o->ch != 0; o++) {
		if (!(o->flags & CMD_OPT_LONG))
			fprintf(f, "-%c ", o->ch);
		fprintf(f, "--%s%s", o->name, o[1].ch != 0 ? " " : "");
	}
	fputs("'\n\n# The argument name of one of smadm's own options.\n"
	    "_smadm_global_arg() {\n\tcase $1 in\n", f);
	comp_arg_cases(f, "", cmd_global_opts);
	fputs("\tesac\n}\n\n# The options of a command.\n"
	    "_smadm_opts() {\n\tcase $1 in\n", f);
	for (i = 0; (ce = cmd_table[i]) != NULL; i++) {
		if (ce->flags & CMD_HIDDEN)
			continue;
		fputs("\t", f);
		comp_word(f, ce->name);
		fputs(") echo '", f);
		comp_opts(f, ce);
		fputs("';;\n", f);
	}
	fputs("\tesac\n}\n\n# The argument name of a command's option.\n"
	    "_smadm_arg() {\n\tcase \"$1 $2\" in\n", f);
	for (i = 0; (ce = cmd_table[i]) != NULL; i++) {
		if (ce->flags & CMD_HIDDEN)
			continue;
		prefix = xasprintf("%s ", ce->name);
		comp_arg_cases(f, prefix, ce->opts);
		free(prefix);
	}
	fputs("\tesac\n}\n\n", f);
	fputs(comp_body, f);
	return 0;
}
