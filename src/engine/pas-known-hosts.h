#pragma once

#include <glib.h>

#include "pas-host-key.h"

G_BEGIN_DECLS

typedef enum
{
  PAS_HOST_KEY_STATUS_NEW,              /* nothing on file for this host */
  PAS_HOST_KEY_STATUS_KNOWN,            /* this exact key is on file */
  PAS_HOST_KEY_STATUS_CHANGED,          /* a different key of the same type is on file */
  PAS_HOST_KEY_STATUS_REVOKED,          /* the key is marked @revoked */
  PAS_HOST_KEY_STATUS_OTHER_TYPE_KNOWN, /* only keys of other types are on file */
} PasHostKeyStatus;

/* The known_hosts files, read the way OpenSSH reads them: plain names, comma
 * lists, [host]:port, hashed |1|salt|hash names, * and ? wildcards, !negation,
 * @revoked and @cert-authority markers. A malformed line is skipped with a
 * warning; it never hides the lines after it. */
typedef struct _PasKnownHosts PasKnownHosts;

PasKnownHosts    *pas_known_hosts_new           (void);
void              pas_known_hosts_free          (PasKnownHosts    *self);
gboolean          pas_known_hosts_load          (PasKnownHosts    *self,
                                                 const char       *path,
                                                 GError          **error);
const char *const *pas_known_hosts_get_warnings (PasKnownHosts    *self);

PasHostKeyStatus  pas_known_hosts_check         (PasKnownHosts    *self,
                                                 const char       *host,
                                                 guint16           port,
                                                 const PasHostKey *key,
                                                 char            **where);
char            **pas_known_hosts_get_key_types (PasKnownHosts    *self,
                                                 const char       *host,
                                                 guint16           port);
/* "file:line" of every line whose host field matches, as `ssh-keygen -F` lists them. */
char            **pas_known_hosts_lookup        (PasKnownHosts    *self,
                                                 const char       *host,
                                                 guint16           port);
/* The first key of @key_type on file for the host (not a marker line). */
const PasHostKey *pas_known_hosts_get_stored_key (PasKnownHosts *self,
                                                  const char    *host,
                                                  guint16        port,
                                                  const char    *key_type,
                                                  const char   **where);
gboolean          pas_known_hosts_remove_host   (const char       *path,
                                                 const char       *host,
                                                 guint16           port,
                                                 guint            *n_removed,
                                                 GError          **error);
gboolean          pas_known_hosts_add           (PasKnownHosts    *self,
                                                 const char       *path,
                                                 const char       *host,
                                                 guint16           port,
                                                 const PasHostKey *key,
                                                 gboolean          hash,
                                                 GError          **error);

/* "host" for port 22, else "[host]:port", lower-cased as OpenSSH looks it up. */
char             *pas_known_hosts_format_host   (const char       *host,
                                                 guint16           port);
gboolean          pas_known_hosts_match_pattern (const char       *name,
                                                 const char       *pattern);
gboolean          pas_pattern_match             (const char       *name,
                                                 const char       *pattern,
                                                 gboolean          fold_case);
/* A comma list of patterns, "!" negating: also ssh_config's Host and Match
 * (where Host and user patterns are case-sensitive, host names are not). */
gboolean          pas_known_hosts_match_list    (const char       *list,
                                                 const char       *name,
                                                 gboolean          fold_case);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasKnownHosts, pas_known_hosts_free)

G_END_DECLS
