#pragma once

/* Shared by pas-transfer.h and pas-interaction.h (which asks about
 * conflicts), so that neither has to include the other. */

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PAS_TRANSFER_DOWNLOAD,
  PAS_TRANSFER_UPLOAD,
} PasTransferDirection;

/* What to do when the destination already exists. */
typedef enum
{
  PAS_CONFLICT_OVERWRITE,
  PAS_CONFLICT_SKIP,
  PAS_CONFLICT_RESUME,      /* the existing file is the start of the source: continue it */
  PAS_CONFLICT_RENAME,      /* keep both: the copy gets "name (2).ext" */
  PAS_CONFLICT_NEWER,       /* overwrite only when the source is newer */
  PAS_CONFLICT_ASK,         /* ask the transfer's PasInteraction, file by file */
} PasConflictPolicy;

/* Defined in pas-interaction.h. */
typedef struct _PasInteraction PasInteraction;

G_END_DECLS
