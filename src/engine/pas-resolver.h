#pragma once

#include <gio/gio.h>

#include "pas-destination.h"
#include "pas-session.h"
#include "pas-session-store.h"

G_BEGIN_DECLS

/* What someone typed, before anything is looked up. */
typedef struct
{
  char    *user;   /* NULL: not given */
  char    *name;   /* a host name, an ssh_config alias or a saved session's name */
  guint16  port;   /* 0: not given */
  char    *path;   /* NULL: not given; relative paths start in the session's folder */
} PasAddress;

/* The window's and ssh's forms: sftp://[user@]host[:port][/path],
 * ssh://[user@]host[:port], [user@]host[:port], [user@][IPv6]:port, or a
 * name (host, alias, session). */
PasAddress *pas_address_parse     (const char       *text,
                                   GError          **error);
/* The command line's forms, as scp's: sftp://… or [user@]NAME:path. */
PasAddress *pas_address_parse_cli (const char       *text,
                                   GError          **error);
PasAddress *pas_address_copy      (const PasAddress *address);
void        pas_address_free      (PasAddress       *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasAddress, pas_address_free)

#define PAS_TYPE_RESOLVER (pas_resolver_get_type ())

G_DECLARE_FINAL_TYPE (PasResolver, pas_resolver, PAS, RESOLVER, GObject)

/* Turns an address or a saved session into a PasDestination, the one way
 * every part of Passerelle does it. Precedence, for each setting: an
 * explicit option of the caller (pas_resolver_set_*: the command line's -i,
 * -F, --known-hosts, --jump; the app's --identity, --known-hosts) > what the
 * address says (user@, :port) > the saved session > ~/.ssh/config (where,
 * as in OpenSSH, the first value found wins) > the defaults. Jump hosts
 * (ProxyJump, a session's jump field, --jump) are resolved the same way,
 * each a destination of its own; the first hop's own ProxyJump is followed,
 * later hops are reached through the ones before them, as `ssh -J` does.
 * Files are read: call the _async variants from a UI thread. */
PasResolver    *pas_resolver_new                     (void);
/* NULL: ~/.ssh/config; "none": no ssh_config at all. */
void            pas_resolver_set_ssh_config          (PasResolver          *self,
                                                      const char           *path);
/* Only these keys (IdentitiesOnly), for the final server. */
void            pas_resolver_set_identity_files      (PasResolver          *self,
                                                      const char * const   *files);
/* Keys for a server that neither the session nor ssh_config names one for
 * (the app's --identity), only these (IdentitiesOnly). */
void            pas_resolver_set_default_identity_files (PasResolver       *self,
                                                      const char * const   *files);
void            pas_resolver_set_known_hosts         (PasResolver          *self,
                                                      const char           *path);
/* Like ssh -J: "[user@]host[:port][,…]", or "none". */
void            pas_resolver_set_jump                (PasResolver          *self,
                                                      const char           *jump);
/* Where names are looked up as saved sessions; NULL: nowhere. */
void            pas_resolver_set_sessions            (PasResolver          *self,
                                                      PasSessionStore      *sessions);
/* Warnings of the last read ssh_config ("file:line: why"). */
char          **pas_resolver_get_config_warnings     (PasResolver          *self);

PasDestination *pas_resolver_resolve                 (PasResolver          *self,
                                                      const PasAddress     *address,
                                                      GError              **error);
PasDestination *pas_resolver_resolve_session         (PasResolver          *self,
                                                      PasSession           *session,
                                                      GError              **error);
/* In a thread; the session store is read before it starts. */
void            pas_resolver_resolve_async           (PasResolver          *self,
                                                      const PasAddress     *address,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PasDestination *pas_resolver_resolve_finish          (PasResolver          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            pas_resolver_resolve_session_async   (PasResolver          *self,
                                                      PasSession           *session,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PasDestination *pas_resolver_resolve_session_finish  (PasResolver          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* A key path as people write it: ~ and $HOME expanded; a public key
 * (NAME.pub) replaced by its private half beside it. NULL, with an error
 * saying what to do, when the file is a public key without its private half. */
char           *pas_resolver_expand_key_path         (const char           *path,
                                                      GError              **error);

G_END_DECLS
