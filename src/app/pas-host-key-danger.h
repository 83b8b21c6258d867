#pragma once

#include <gtk/gtk.h>

#include "pas-engine.h"

G_BEGIN_DECLS

/* The warning for a changed or revoked server key, over @parent. Refusing
 * is the default and the only answer for a revoked key. For a changed key
 * it shows both fingerprints, where the old one is stored and the exact
 * ssh-keygen command, and offers to replace the stored key — after a second
 * question — when it is in the known_hosts file we write. Finishes TRUE
 * when the new key was saved (connect again), FALSE when it was not. */
void     pas_host_key_danger_present_async  (GtkWidget               *parent,
                                             const GError            *error,
                                             const PasHostKeyChange  *change,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
gboolean pas_host_key_danger_present_finish (GAsyncResult            *result,
                                             GError                 **error);

G_END_DECLS
