#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Passwords and passphrases: wiped before their memory is freed. */
char *pas_secret_dup  (const char *secret);
void  pas_secret_free (char       *secret);
void  pas_secret_wipe (void       *data,
                       gsize       len);

typedef char PasSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSecret, pas_secret_free)

G_END_DECLS
