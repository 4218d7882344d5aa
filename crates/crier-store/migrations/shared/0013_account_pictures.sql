-- The linked account's picture as the network shows it (an https URL), for the linking page's
-- cards and GET /api/user's `userImage`.
ALTER TABLE linked_networks ADD COLUMN picture_url TEXT;
