#pragma once

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_TERMINAL_INTERACTION (pas_terminal_interaction_get_type ())

G_DECLARE_FINAL_TYPE (PasTerminalInteraction, pas_terminal_interaction, PAS, TERMINAL_INTERACTION, PasInteraction)

/* Questions on the terminal, the way OpenSSH asks them: secrets read from
 * /dev/tty with echo off, or from $SSH_ASKPASS when OpenSSH would use it.
 * @batch: never ask; unknown host keys are refused unless @accept_new. */
PasInteraction *pas_terminal_interaction_new (gboolean batch,
                                              gboolean accept_new);

G_END_DECLS
