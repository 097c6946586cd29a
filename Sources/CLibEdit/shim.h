#ifndef CLIBEDIT_SHIM_H
#define CLIBEDIT_SHIM_H
// libedit's el_wset and history_w are variadic, which Swift cannot call: each use is wrapped here.
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <locale.h>
#include <langinfo.h>
#include <histedit.h>

typedef const wchar_t *(*tb_prompt_fn)(EditLine *);
typedef unsigned char (*tb_command_fn)(EditLine *, int);

static inline EditLine *tb_el_init(const char *prog) {
    return el_init(prog, stdin, stdout, stderr);
}
static inline int tb_el_set_prompt(EditLine *el, tb_prompt_fn fn) { return el_wset(el, EL_PROMPT, fn); }
static inline int tb_el_set_editor(EditLine *el, const wchar_t *mode) { return el_wset(el, EL_EDITOR, mode); }
static inline int tb_el_set_history(EditLine *el, HistoryW *h) { return el_wset(el, EL_HIST, history_w, h); }
static inline int tb_el_add_function(EditLine *el, const wchar_t *name, const wchar_t *help, tb_command_fn fn) {
    return el_wset(el, EL_ADDFN, name, help, fn);
}
static inline int tb_el_bind(EditLine *el, const wchar_t *key, const wchar_t *fn) {
    return el_wset(el, EL_BIND, key, fn, NULL);
}
static inline int tb_el_set_clientdata(EditLine *el, void *data) { return el_wset(el, EL_CLIENTDATA, data); }
static inline void *tb_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_wget(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int tb_el_source_default(EditLine *el) { return el_source(el, NULL); }

static inline HistoryW *tb_history_init(int size) {
    HistoryW *h = history_winit();
    HistEventW ev;
    history_w(h, &ev, H_SETSIZE, size);
    history_w(h, &ev, H_SETUNIQUE, 1);
    return h;
}
static inline int tb_history_enter(HistoryW *h, const wchar_t *line) { HistEventW ev; return history_w(h, &ev, H_ENTER, line); }
static inline int tb_history_load(HistoryW *h, const char *path) { HistEventW ev; return history_w(h, &ev, H_LOAD, path); }
static inline int tb_history_save(HistoryW *h, const char *path) { HistEventW ev; return history_w(h, &ev, H_SAVE, path); }

/// Makes LC_CTYPE UTF-8 whatever the environment says; returns 1 when a fallback was needed.
static inline int tb_ensure_utf8_locale(void) {
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0)) return 0;
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) setlocale(LC_CTYPE, "C.utf8");
    return 1;
}
#endif
