#pragma once

#include <gio/gio.h>

#include "pas-host-key.h"

G_BEGIN_DECLS

/* What a connection refused with PAS_ERROR_HOST_KEY_CHANGED saw: the key the
 * server offered and the one on file. Enough to show both fingerprints and
 * the ssh-keygen command, and — when the person confirms the new key — to
 * replace the stored one as `ssh-keygen -R` followed by accepting it would. */
typedef struct
{
  char       *host;
  guint16     port;
  PasHostKey *offered;
  char       *offered_fingerprint;
  char       *stored_fingerprint;
  char       *where;           /* "file:line" of the stored key */
  char       *known_hosts;     /* the file holding it, when it is the one we write; else NULL */
  gboolean    hash;            /* write the new line hashed (HashKnownHosts) */
} PasHostKeyChange;

PasHostKeyChange *pas_host_key_change_copy          (const PasHostKeyChange *self);
void              pas_host_key_change_free          (PasHostKeyChange       *self);
/* "ssh-keygen -R '[host]:port'", with -f when the file is not ~/.ssh/known_hosts. */
char             *pas_host_key_change_dup_command   (const PasHostKeyChange *self);
/* Removes every line of the host from known_hosts (plain, wildcard or
 * hashed, as ssh-keygen -R) and saves the offered key. In a thread. */
void              pas_host_key_change_replace_async  (const PasHostKeyChange *self,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
gboolean          pas_host_key_change_replace_finish (GAsyncResult           *result,
                                                      GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasHostKeyChange, pas_host_key_change_free)

G_END_DECLS
