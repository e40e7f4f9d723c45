"""What both faces share: the desk's context, the words about the queue, lead sources."""
