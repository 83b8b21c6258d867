#pragma once

/* The engine's public API: GLib/GIO only, never GTK. */
#include "pas-agent.h"
#include "pas-connection.h"
#include "pas-error.h"
#include "pas-host-key.h"
#include "pas-interaction.h"
#include "pas-known-hosts.h"
#include "pas-names.h"
#include "pas-private-key.h"
#include "pas-remote-file.h"
#include "pas-secret.h"
#include "pas-sftp-session.h"
#include "pas-sftp-wire.h"
#include "pas-transfer.h"
#include "pas-uri.h"
#include "pas-wire.h"
