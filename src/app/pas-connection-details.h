#pragma once

#include <gtk/gtk.h>

#include "pas-engine.h"

G_BEGIN_DECLS

/* "Connection Details": the server, its host key, how we logged in, and the
 * key exchange, cipher and MAC agreed — shown in an alert over @parent. */
void pas_connection_details_present (GtkWidget     *parent,
                                     const char    *server,
                                     PasConnection *connection);

G_END_DECLS
