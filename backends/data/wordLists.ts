// Small fixed word lists: enough variety for plausible-looking demo records, and no dependency
// on a faker library whose output could change between versions.

export const firstNames = [
  'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Donald',
  'Radia', 'Tim', 'Hedy', 'Edsger', 'Katherine', 'John', 'Sophie', 'Guido', 'Joan', 'Niklaus',
  'Mary', 'Bjarne', 'Shafi', 'Leslie', 'Anita', 'Whitfield', 'Evelyn', 'Brian', 'Lynn', 'Robin',
] as const;

export const lastNames = [
  'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson',
  'Allen', 'Knuth', 'Perlman', 'Berners-Lee', 'Lamarr', 'Dijkstra', 'Johnson', 'McCarthy',
  'Wilson', 'van Rossum', 'Clarke', 'Wirth', 'Keller', 'Stroustrup', 'Goldwasser', 'Lamport',
  'Borg', 'Diffie', 'Boyd', 'Kernighan', 'Conway', 'Milner',
] as const;

/** Reserved example domains (RFC 2606), so generated addresses can never reach a real inbox. */
export const emailDomains = ['example.com', 'example.org', 'example.net'] as const;

export const productAdjectives = [
  'Rustic', 'Sleek', 'Handmade', 'Ergonomic', 'Compact', 'Vintage', 'Sturdy', 'Elegant',
  'Practical', 'Lightweight', 'Deluxe', 'Modern', 'Classic', 'Portable', 'Refined',
] as const;

export const productMaterials = [
  'Steel', 'Oak', 'Cotton', 'Granite', 'Bamboo', 'Leather', 'Ceramic', 'Wool', 'Copper',
  'Glass', 'Linen', 'Walnut', 'Aluminium', 'Cork', 'Marble',
] as const;

export const productNouns = [
  'Chair', 'Lamp', 'Table', 'Mug', 'Backpack', 'Kettle', 'Notebook', 'Shelf', 'Blanket',
  'Clock', 'Vase', 'Desk', 'Bottle', 'Stool', 'Tray', 'Bowl', 'Scarf', 'Pen', 'Planter', 'Mirror',
] as const;

export const warehouses = ['Rotterdam', 'Leipzig', 'Lyon', 'Dublin', 'Gdansk'] as const;

export const reviewOpenings = [
  'Exactly as described.', 'Better than I expected.', 'Not quite what I hoped for.',
  'Arrived quickly and well packed.', 'Solid value for the price.', 'A little smaller than pictured.',
  'I use it every day.', 'Bought this as a gift.', 'Second one I have ordered.', 'Mixed feelings.',
] as const;

export const reviewClosings = [
  'Would recommend.', 'Would buy again.', 'Five stars from me.', 'It does the job.',
  'Customer service was helpful.', 'The finish could be better.', 'Happy overall.',
  'Returned it in the end.', 'My family loves it.', 'Worth a look.',
] as const;
