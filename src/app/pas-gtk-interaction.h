#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_GTK_INTERACTION (pas_gtk_interaction_get_type ())

G_DECLARE_FINAL_TYPE (PasGtkInteraction, pas_gtk_interaction, PAS, GTK_INTERACTION, PasInteraction)

/* The engine's questions as libadwaita dialogs over @parent: host keys,
 * passwords and passphrases (found in the keyring first; saved there only
 * when the person asks and the login then succeeds), keyboard-interactive
 * prompts, and transfer conflicts. */
PasGtkInteraction *pas_gtk_interaction_new            (GtkWindow         *parent);
/* The login worked: save the secrets people asked to remember. */
void               pas_gtk_interaction_commit_secrets (PasGtkInteraction *self);
void               pas_gtk_interaction_forget_secrets (PasGtkInteraction *self);
void               pas_gtk_interaction_set_password   (PasGtkInteraction *self,
                                                       const char        *password);

G_END_DECLS
