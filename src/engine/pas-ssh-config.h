#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ~/.ssh/config read the way OpenSSH reads it (ssh_config(5)): the first
 * value of each keyword wins; Host patterns with *, ? and !; Match host,
 * originalhost, user, localuser and all (Match exec is never run and never
 * matches); Include with globs, relative to ~/.ssh; keywords in any case;
 * "key value", "key=value" and quoted values; the tokens %h %p %r %u %d %%
 * and ~ in IdentityFile and the known_hosts files. ProxyJump and
 * ProxyCommand compete: the first one given wins, "none" included. A
 * malformed line is skipped with a warning. */

typedef struct _PasSshConfig PasSshConfig;

typedef struct
{
  char     *alias;           /* what was asked for */
  char     *hostname;
  char     *user;
  guint16   port;            /* 0: not set */
  char    **identity_files;  /* expanded, in order; may be empty */
  gboolean  identities_only;
  char     *proxy_jump;      /* "a,b" as written; NULL: none (ProxyJump none included) */
  char     *proxy_command;   /* as written, tokens not expanded; NULL: none */
  guint     connect_timeout; /* seconds, 0: not set */
  guint     server_alive_interval;
  char     *ciphers;         /* as written (+, -, ^ prefixes kept); NULL: not set */
  char     *macs;
  char    **user_known_hosts_files;    /* expanded; NULL: not set; empty: none */
  char    **global_known_hosts_files;
  gboolean  hash_known_hosts;
  gboolean  hash_known_hosts_set;
} PasSshHost;

/* @path: NULL for ~/.ssh/config. A missing file is an empty config, not an
 * error; an unreadable one is. */
PasSshConfig *pas_ssh_config_load          (const char          *path,
                                            GError             **error);
void          pas_ssh_config_free          (PasSshConfig        *self);
/* Lines that were skipped, as "file:line: why". */
const char * const *pas_ssh_config_get_warnings (PasSshConfig   *self);
/* The names of Host lines without wildcards or negations, in file order:
 * the hosts to offer in a list. */
char        **pas_ssh_config_list_hosts    (PasSshConfig        *self);
/* @user and @port (NULL, 0: not given) come from the address and win over
 * the config, as on ssh's command line. The result's user is never NULL (the
 * local user by default); its port is 0 when nothing set it (22). */
PasSshHost   *pas_ssh_config_resolve       (PasSshConfig        *self,
                                            const char          *alias,
                                            const char          *user,
                                            guint16              port);
void          pas_ssh_host_free            (PasSshHost          *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSshConfig, pas_ssh_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSshHost, pas_ssh_host_free)

G_END_DECLS
