/* SPDX-License-Identifier: MIT */
/* cmd's phase 2: a command line (already %-expanded) to a tree.
 *
 * Outside double quotes, ^ takes the next character literally (at the end of a line it joins
 * the next line), and & | < > ( ) are special: "a & b" runs both, "a && b" b when a succeeded,
 * "a || b" b when it failed, "a | b" pipes; | binds tightest, then && and ||, then &.
 * "(" at the start of a command opens a block that may span lines (in a batch file) and ends
 * at the matching unquoted ")"; a newline inside separates commands like &. Redirections
 * ([n]<file, [n]>file, [n]>>file, [n]>&m; n is a digit right after a delimiter) come out of
 * the command's text wherever they stand; text keeps the rest as written, quotes and the
 * spaces before an operator included ("echo hi & x" echoes "hi "), as Windows does.
 * IF and FOR take everything after their condition or set up to the end of the line (or of the
 * block) as their command; ELSE follows a parenthesised IF command. REM, "::" and labels are
 * no-ops.
 *
 * cmd_node_text makes a tree text again, as Windows does for a block, IF or FOR in a pipeline
 * (which runs in a cmd.exe of its own): "( a & b )", "if /I not x == y a else b", "for /F "o"
 * %i in (set) do a", redirections as " 1>file"; the ^ escapes are gone (the child cmd sees
 * "a&b" where the line said "a^&b"), as on Windows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

typedef struct {
    const char *p;          /* the next character */
    char **lines;           /* the lines fetched for a block, freed with the parser */
    size_t nlines;
    cmd_next_line_fn more;
    void *ctx;
    int depth;              /* open parentheses */
    char *error;
} cmd_parser;

static cmd_node *cmd_parse_seq(cmd_parser *ps);

static cmd_node *cmd_new(cmd_node_kind kind)
{
    cmd_node *n = calloc(1, sizeof *n);
    if (!n)
        abort();
    n->kind = kind;
    return n;
}

static cmd_node *cmd_bin(cmd_node_kind kind, cmd_node *l, cmd_node *r)
{
    cmd_node *n = cmd_new(kind);
    n->left = l;
    n->right = r;
    return n;
}

static void cmd_redirs_free(cmd_redir *r)
{
    while (r) {
        cmd_redir *next = r->next;
        free(r->target);
        free(r);
        r = next;
    }
}

void cmd_node_free(cmd_node *n)
{
    if (!n)
        return;
    cmd_node_free(n->left);
    cmd_node_free(n->right);
    free(n->text);
    free(n->a);
    free(n->b);
    free(n->for_opts);
    cmd_redirs_free(n->redirs);
    free(n);
}

static void cmd_syntax(cmd_parser *ps, const char *msg)
{
    if (!ps->error)
        ps->error = cmd_strdup(msg);
}

/* The next line of a block (or of a ^ continuation); false at the end of the input. */
static bool cmd_next_line(cmd_parser *ps)
{
    char *l = ps->more ? ps->more(ps->ctx) : NULL;
    if (!l)
        return false;
    char **v = realloc(ps->lines, (ps->nlines + 1) * sizeof *v);
    if (!v)
        abort();
    ps->lines = v;
    ps->lines[ps->nlines++] = l;
    ps->p = l;
    return true;
}

static void cmd_skip_ws(cmd_parser *ps)
{
    while (cmd_is_space(*ps->p))
        ps->p++;
}

/* The word at the cursor (letters up to a delimiter or special), lower-cased, not consumed. */
static size_t cmd_peek_word(cmd_parser *ps, char *out, size_t cap)
{
    size_t n = 0;
    const char *s = ps->p;
    while (*s && !cmd_is_delim(*s) && !strchr("&|<>()\"^", *s) && n + 1 < cap) {
        out[n++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
        s++;
    }
    out[n] = 0;
    return n;
}

static bool cmd_at_word(cmd_parser *ps, const char *word)
{
    char w[32];
    size_t n = cmd_peek_word(ps, w, sizeof w);
    return n == strlen(word) && strcmp(w, word) == 0;
}

/* A redirection at the cursor ('<' or '>'); `text` may end with its handle digit. */
static void cmd_parse_redir(cmd_parser *ps, cmd_buf *text, cmd_redir ***tail)
{
    char c = *ps->p++;
    cmd_redir *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->fd = c == '<' ? 0 : 1;
    r->kind = c == '<' ? CMD_REDIR_IN : CMD_REDIR_OUT;
    if (text && text->len && text->s[text->len - 1] >= '0' && text->s[text->len - 1] <= '9' &&
        (text->len == 1 || cmd_is_delim(text->s[text->len - 2]))) {
        r->fd = text->s[text->len - 1] - '0';
        text->s[--text->len] = 0;
    }
    if (c == '>' && *ps->p == '>') {
        r->kind = CMD_REDIR_APPEND;
        ps->p++;
    }
    if (*ps->p == '&' && ps->p[1] >= '0' && ps->p[1] <= '9') {
        r->kind = CMD_REDIR_DUP;
        r->dup_fd = ps->p[1] - '0';
        ps->p += 2;
    } else {
        cmd_skip_ws(ps);
        cmd_buf t = {0};
        bool q = false;
        for (; *ps->p; ps->p++) {
            char ch = *ps->p;
            if (ch == '"') {
                q = !q;
                cmd_buf_addc(&t, ch);
                continue;
            }
            if (!q && (cmd_is_space(ch) || strchr("&|<>", ch) || (ch == ')' && ps->depth)))
                break;
            if (!q && ch == '^' && ps->p[1])
                ch = *++ps->p;
            cmd_buf_addc(&t, ch);
        }
        r->target = cmd_buf_take(&t);
        if (!*r->target)
            cmd_syntax(ps, "The syntax of the command is incorrect.");
    }
    **tail = r;
    *tail = &r->next;
}

/* A simple command: its text up to an operator, the redirections taken out. */
static cmd_node *cmd_parse_simple(cmd_parser *ps)
{
    cmd_node *n = cmd_new(CMD_N_CMD);
    cmd_redir **tail = &n->redirs;
    cmd_buf text = {0};
    bool q = false;
    for (;;) {
        char c = *ps->p;
        if (!c)
            break;
        if (q) {
            if (c == '"')
                q = false;
            cmd_buf_addc(&text, c);
            ps->p++;
            continue;
        }
        if (c == '"') {
            q = true;
            cmd_buf_addc(&text, c);
            ps->p++;
        } else if (c == '^') {
            if (!ps->p[1]) {
                if (!cmd_next_line(ps))
                    ps->p++;
                continue;
            }
            cmd_buf_addc(&text, ps->p[1]);
            ps->p += 2;
        } else if (c == '&' || c == '|' || (c == ')' && ps->depth)) {
            break;
        } else if (c == '<' || c == '>') {
            cmd_parse_redir(ps, &text, &tail);
        } else {
            cmd_buf_addc(&text, c);
            ps->p++;
        }
    }
    char *t = cmd_buf_take(&text);
    const char *start = cmd_skip_spaces(t);
    n->text = cmd_strdup(start);
    free(t);
    return n;
}

/* A token of an IF condition: up to a space (quotes kept), or up to "==" when `eq`. */
static char *cmd_if_token(cmd_parser *ps, bool eq)
{
    cmd_skip_ws(ps);
    cmd_buf t = {0};
    bool q = false;
    for (; *ps->p; ps->p++) {
        char c = *ps->p;
        if (c == '"')
            q = !q;
        else if (!q && (cmd_is_space(c) || (eq && c == '=' && ps->p[1] == '=') ||
                        strchr("&|<>", c) || (c == '(' && !t.len)))
            break;
        if (!q && c == '^' && ps->p[1])
            c = *++ps->p;
        cmd_buf_addc(&t, c);
    }
    return cmd_buf_take(&t);
}

/* The command of IF, FOR's DO and ELSE: the rest of the line (or block). */
static cmd_node *cmd_parse_body(cmd_parser *ps)
{
    cmd_skip_ws(ps);
    if (!*ps->p || (*ps->p == ')' && ps->depth)) {
        cmd_syntax(ps, "The syntax of the command is incorrect.");
        return NULL;
    }
    return cmd_parse_seq(ps);
}

static cmd_node *cmd_parse_if(cmd_parser *ps)
{
    cmd_node *n = cmd_new(CMD_N_IF);
    ps->p += 2;
    for (;;) {
        cmd_skip_ws(ps);
        if (!strncasecmp(ps->p, "/i", 2) && cmd_is_space(ps->p[2])) {
            n->if_ci = true;
            ps->p += 2;
        } else if (cmd_at_word(ps, "not")) {
            n->if_not = true;
            ps->p += 3;
        } else {
            break;
        }
    }
    static const struct {
        const char *word;
        cmd_if_op op;
    } unary[] = {{"errorlevel", CMD_IF_ERRORLEVEL},
                 {"exist", CMD_IF_EXIST},
                 {"defined", CMD_IF_DEFINED},
                 {"cmdextversion", CMD_IF_CMDEXTVERSION}};
    for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++)
        if (cmd_at_word(ps, unary[i].word)) {
            ps->p += strlen(unary[i].word);
            n->if_op = unary[i].op;
            n->a = cmd_if_token(ps, false);
            goto body;
        }
    n->a = cmd_if_token(ps, true);
    cmd_skip_ws(ps);
    if (ps->p[0] == '=' && ps->p[1] == '=') {
        n->if_op = CMD_IF_EQ;
        while (*ps->p == '=')
            ps->p++;
    } else {
        static const struct {
            const char *word;
            cmd_if_op op;
        } ops[] = {{"equ", CMD_IF_EQU}, {"neq", CMD_IF_NEQ}, {"lss", CMD_IF_LSS},
                   {"leq", CMD_IF_LEQ}, {"gtr", CMD_IF_GTR}, {"geq", CMD_IF_GEQ}};
        size_t i = 0;
        for (; i < sizeof ops / sizeof ops[0]; i++)
            if (cmd_at_word(ps, ops[i].word))
                break;
        if (i == sizeof ops / sizeof ops[0]) {
            cmd_syntax(ps, "The syntax of the command is incorrect.");
            return n;
        }
        n->if_op = ops[i].op;
        ps->p += 3;
    }
    n->b = cmd_if_token(ps, false);
body:
    if (!*n->a || (n->if_op >= CMD_IF_EQ && (!n->b || !*n->b))) {
        cmd_syntax(ps, "The syntax of the command is incorrect.");
        return n;
    }
    n->left = cmd_parse_body(ps);
    cmd_skip_ws(ps);
    if (n->left && n->left->kind == CMD_N_BLOCK && cmd_at_word(ps, "else")) {
        ps->p += 4;
        n->right = cmd_parse_body(ps);
    }
    return n;
}

static cmd_node *cmd_parse_for(cmd_parser *ps)
{
    cmd_node *n = cmd_new(CMD_N_FOR);
    ps->p += 3;
    cmd_skip_ws(ps);
    if (*ps->p == '/') {
        char sw = (char)(ps->p[1] | 0x20);
        ps->p += 2;
        if (sw == 'l')
            n->for_kind = CMD_FOR_L;
        else if (sw == 'f')
            n->for_kind = CMD_FOR_F;
        else if (sw == 'd')
            n->for_kind = CMD_FOR_D;
        else if (sw == 'r')
            n->for_kind = CMD_FOR_R;
        else {
            cmd_syntax(ps, "The syntax of the command is incorrect.");
            return n;
        }
        cmd_skip_ws(ps);
        if (n->for_kind == CMD_FOR_R && *ps->p && *ps->p != '%')
            n->for_opts = cmd_if_token(ps, false); /* the root */
        cmd_skip_ws(ps);
        if (n->for_kind == CMD_FOR_F && *ps->p == '"') {
            const char *e = strchr(ps->p + 1, '"');
            if (!e) {
                cmd_syntax(ps, "The syntax of the command is incorrect.");
                return n;
            }
            n->for_opts = cmd_strndup(ps->p + 1, (size_t)(e - ps->p - 1));
            ps->p = e + 1;
            cmd_skip_ws(ps);
        }
    }
    if (ps->p[0] != '%' || !ps->p[1] || cmd_is_space(ps->p[1])) {
        cmd_syntax(ps, "The syntax of the command is incorrect.");
        return n;
    }
    n->for_var = ps->p[1];
    ps->p += 2;
    cmd_skip_ws(ps);
    if (!cmd_at_word(ps, "in")) {
        cmd_syntax(ps, "The syntax of the command is incorrect.");
        return n;
    }
    ps->p += 2;
    cmd_skip_ws(ps);
    if (*ps->p != '(') {
        cmd_syntax(ps, "The syntax of the command is incorrect.");
        return n;
    }
    ps->p++;
    cmd_buf set = {0};
    bool q = false;
    int depth = 0;
    for (;; ps->p++) {
        char c = *ps->p;
        if (!c) {
            if (!cmd_next_line(ps)) {
                cmd_syntax(ps, "The syntax of the command is incorrect.");
                free(cmd_buf_take(&set));
                return n;
            }
            cmd_buf_addc(&set, ' ');
            ps->p--;
            continue;
        }
        if (c == '"' || (c == '\'' && n->for_kind == CMD_FOR_F))
            q = c == '"' ? !q : q;
        if (!q && c == '(')
            depth++;
        if (!q && c == ')' && depth-- == 0)
            break;
        cmd_buf_addc(&set, c);
    }
    ps->p++;
    n->text = cmd_buf_take(&set);
    cmd_skip_ws(ps);
    if (!cmd_at_word(ps, "do")) {
        cmd_syntax(ps, "The syntax of the command is incorrect.");
        return n;
    }
    ps->p += 2;
    n->left = cmd_parse_body(ps);
    return n;
}

/* ( ... ) [redirections] */
static cmd_node *cmd_parse_block(cmd_parser *ps)
{
    cmd_node *n = cmd_new(CMD_N_BLOCK);
    ps->p++;
    ps->depth++;
    for (;;) {
        while (cmd_is_delim(*ps->p))
            ps->p++;
        if (!*ps->p) {
            if (!cmd_next_line(ps)) {
                cmd_syntax(ps, "The syntax of the command is incorrect.");
                return n;
            }
            continue;
        }
        if (*ps->p == ')') {
            ps->p++;
            break;
        }
        cmd_node *c = cmd_parse_seq(ps);
        if (ps->error)
            return n;
        n->left = n->left ? cmd_bin(CMD_N_SEQ, n->left, c) : c;
        if (*ps->p && *ps->p != ')') {
            cmd_syntax(ps, "The syntax of the command is incorrect.");
            return n;
        }
    }
    ps->depth--;
    cmd_redir **tail = &n->redirs;
    for (;;) {
        cmd_skip_ws(ps);
        if (*ps->p == '<' || *ps->p == '>') {
            cmd_parse_redir(ps, NULL, &tail);
        } else if (*ps->p >= '0' && *ps->p <= '9' && (ps->p[1] == '>' || ps->p[1] == '<')) {
            cmd_buf d = {0};
            cmd_buf_addc(&d, *ps->p++);
            cmd_parse_redir(ps, &d, &tail);
            free(cmd_buf_take(&d));
        } else {
            break;
        }
    }
    return n;
}

static cmd_node *cmd_parse_command(cmd_parser *ps)
{
    bool quiet = false;
    for (;;) {
        while (cmd_is_delim(*ps->p))
            ps->p++;
        if (*ps->p != '@')
            break;
        quiet = true;
        ps->p++;
    }
    cmd_node *n;
    char c = *ps->p;
    if (!c || (c == ')' && ps->depth) || c == '&' || c == '|') {
        if (c == '&' || c == '|')
            cmd_syntax(ps, c == '&' ? "& was unexpected at this time."
                                    : "| was unexpected at this time.");
        n = cmd_new(CMD_N_NOP);
    } else if (c == '(') {
        n = cmd_parse_block(ps);
    } else if (c == ':') {
        n = cmd_new(CMD_N_NOP); /* a label or a "::" comment: the rest of the line */
        ps->p += strlen(ps->p);
    } else if (cmd_at_word(ps, "if")) {
        n = cmd_parse_if(ps);
    } else if (cmd_at_word(ps, "for")) {
        n = cmd_parse_for(ps);
    } else if (cmd_at_word(ps, "rem") || (!strncasecmp(ps->p, "rem", 3) && ps->p[3] == '/')) {
        n = cmd_new(CMD_N_NOP);
        ps->p += strlen(ps->p);
    } else {
        n = cmd_parse_simple(ps);
    }
    n->quiet = quiet;
    return n;
}

static cmd_node *cmd_parse_pipe(cmd_parser *ps)
{
    cmd_node *l = cmd_parse_command(ps);
    while (!ps->error) {
        cmd_skip_ws(ps);
        if (ps->p[0] != '|' || ps->p[1] == '|')
            break;
        ps->p++;
        cmd_skip_ws(ps);
        if (!*ps->p || *ps->p == '|' || *ps->p == '&') {
            cmd_syntax(ps, "The syntax of the command is incorrect.");
            break;
        }
        l = cmd_bin(CMD_N_PIPE, l, cmd_parse_command(ps));
    }
    return l;
}

static cmd_node *cmd_parse_andor(cmd_parser *ps)
{
    cmd_node *l = cmd_parse_pipe(ps);
    while (!ps->error) {
        cmd_skip_ws(ps);
        bool and_ = ps->p[0] == '&' && ps->p[1] == '&';
        bool or_ = ps->p[0] == '|' && ps->p[1] == '|';
        if (!and_ && !or_)
            break;
        ps->p += 2;
        cmd_skip_ws(ps);
        if (!*ps->p || *ps->p == '&' || *ps->p == '|' || (*ps->p == ')' && ps->depth)) {
            cmd_syntax(ps, and_ ? "&& was unexpected at this time."
                                : "|| was unexpected at this time.");
            break;
        }
        l = cmd_bin(and_ ? CMD_N_AND : CMD_N_OR, l, cmd_parse_pipe(ps));
    }
    return l;
}

static cmd_node *cmd_parse_seq(cmd_parser *ps)
{
    cmd_node *l = cmd_parse_andor(ps);
    while (!ps->error) {
        cmd_skip_ws(ps);
        if (ps->p[0] != '&' || ps->p[1] == '&')
            break;
        ps->p++;
        cmd_skip_ws(ps);
        if (!*ps->p || (*ps->p == ')' && ps->depth))
            break; /* a trailing & */
        l = cmd_bin(CMD_N_SEQ, l, cmd_parse_andor(ps));
    }
    return l;
}

cmd_node *cmd_parse(const char *line, cmd_next_line_fn more, void *ctx, char **error)
{
    cmd_parser ps = {.p = line, .more = more, .ctx = ctx};
    *error = NULL;
    cmd_node *n = cmd_parse_seq(&ps);
    cmd_skip_ws(&ps);
    if (!ps.error && *ps.p) {
        if (*ps.p == ')')
            cmd_syntax(&ps, ") was unexpected at this time.");
        else
            cmd_syntax(&ps, "The syntax of the command is incorrect.");
    }
    for (size_t i = 0; i < ps.nlines; i++)
        free(ps.lines[i]);
    free(ps.lines);
    if (ps.error) {
        cmd_node_free(n);
        *error = ps.error;
        return NULL;
    }
    return n;
}

/* ---- the tree as text again ---- */

static void cmd_text_redirs(cmd_buf *b, const cmd_redir *r)
{
    char tmp[16];
    for (; r; r = r->next) {
        if (r->kind == CMD_REDIR_DUP) {
            snprintf(tmp, sizeof tmp, " %d>&%d", r->fd, r->dup_fd);
            cmd_buf_adds(b, tmp);
            continue;
        }
        snprintf(tmp, sizeof tmp, " %d%s", r->fd,
                 r->kind == CMD_REDIR_IN ? "<" : r->kind == CMD_REDIR_APPEND ? ">>" : ">");
        cmd_buf_adds(b, tmp);
        cmd_buf_adds(b, r->target);
    }
}

static void cmd_text_of(cmd_buf *b, const cmd_node *n)
{
    static const char *const bin_ops[] = {
        [CMD_IF_EQ] = " == ", [CMD_IF_EQU] = " EQU ", [CMD_IF_NEQ] = " NEQ ", [CMD_IF_LSS] = " LSS ",
        [CMD_IF_LEQ] = " LEQ ", [CMD_IF_GTR] = " GTR ", [CMD_IF_GEQ] = " GEQ "};
    static const char *const unary_ops[] = {[CMD_IF_ERRORLEVEL] = "errorlevel ",
                                            [CMD_IF_EXIST] = "exist ",
                                            [CMD_IF_DEFINED] = "defined ",
                                            [CMD_IF_CMDEXTVERSION] = "cmdextversion "};
    static const char *const for_switches[] = {[CMD_FOR_SET] = "", [CMD_FOR_L] = "/L ",
                                               [CMD_FOR_F] = "/F ", [CMD_FOR_D] = "/D ",
                                               [CMD_FOR_R] = "/R "};
    if (!n)
        return;
    size_t start = b->len;
    switch (n->kind) {
    case CMD_N_NOP:
        return;
    case CMD_N_CMD:
        cmd_buf_adds(b, n->text);
        cmd_text_redirs(b, n->redirs);
        return;
    case CMD_N_SEQ:
    case CMD_N_AND:
    case CMD_N_OR:
    case CMD_N_PIPE:
        cmd_text_of(b, n->left);
        if (b->len > start) {
            size_t mid = b->len;
            cmd_buf_adds(b, n->kind == CMD_N_SEQ   ? " & "
                            : n->kind == CMD_N_AND ? " && "
                            : n->kind == CMD_N_OR  ? " || "
                                                   : " | ");
            size_t after_op = b->len;
            cmd_text_of(b, n->right);
            if (b->len == after_op) { /* nothing on the right (a REM): no operator */
                b->len = mid;
                b->s[mid] = 0;
            }
        } else {
            cmd_text_of(b, n->right);
        }
        return;
    case CMD_N_BLOCK:
        cmd_buf_adds(b, "( ");
        cmd_text_of(b, n->left);
        cmd_buf_adds(b, " )");
        cmd_text_redirs(b, n->redirs);
        return;
    case CMD_N_IF:
        cmd_buf_adds(b, "if ");
        if (n->if_ci)
            cmd_buf_adds(b, "/I ");
        if (n->if_not)
            cmd_buf_adds(b, "not ");
        if (n->if_op < CMD_IF_EQ) {
            cmd_buf_adds(b, unary_ops[n->if_op]);
            cmd_buf_adds(b, n->a);
        } else {
            cmd_buf_adds(b, n->a);
            cmd_buf_adds(b, bin_ops[n->if_op]);
            cmd_buf_adds(b, n->b ? n->b : "");
        }
        cmd_buf_addc(b, ' ');
        cmd_text_of(b, n->left);
        if (n->right) {
            cmd_buf_adds(b, " else ");
            cmd_text_of(b, n->right);
        }
        return;
    case CMD_N_FOR: {
        char var[4] = {'%', n->for_var, ' ', 0};
        cmd_buf_adds(b, "for ");
        cmd_buf_adds(b, for_switches[n->for_kind]);
        if (n->for_opts && n->for_kind == CMD_FOR_F) {
            cmd_buf_addc(b, '"');
            cmd_buf_adds(b, n->for_opts);
            cmd_buf_adds(b, "\" ");
        } else if (n->for_opts) {
            cmd_buf_adds(b, n->for_opts);
            cmd_buf_addc(b, ' ');
        }
        cmd_buf_adds(b, var);
        cmd_buf_adds(b, "in (");
        cmd_buf_adds(b, n->text);
        cmd_buf_adds(b, ") do ");
        cmd_text_of(b, n->left);
        return;
    }
    }
}

char *cmd_node_text(const cmd_node *n)
{
    cmd_buf b = {0};
    cmd_text_of(&b, n);
    return cmd_buf_take(&b);
}
