#pragma once

#include "pas-alert.h"

G_BEGIN_DECLS

/* The "which server?" question, asked by Ctrl+N and by a failed tab's
 * "Edit": an entry (the alert's extra child) that accepts what the resolver
 * accepts, and Cancel / Connect, Connect enabled only for an address that
 * parses. The caller connects to "response" and reads the entry. */
PasAlert *pas_address_dialog_new (GtkWidget  *parent,
                                  const char *heading,
                                  const char *body,
                                  const char *text);

G_END_DECLS
