#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_COMMAND_DIALOG (pas_command_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PasCommandDialog, pas_command_dialog, PAS, COMMAND_DIALOG, AdwWindow)

/* "Run a Command" on a connection: a command line, then what it prints on
 * stdout and stderr as it comes, and how it ended (Paramiko's exec_command
 * habit). */
PasCommandDialog *pas_command_dialog_new     (GtkWindow        *parent,
                                              PasConnection    *connection,
                                              const char       *server_key,
                                              const char       *title);
gboolean          pas_command_dialog_is_done (PasCommandDialog *self);

G_END_DECLS
