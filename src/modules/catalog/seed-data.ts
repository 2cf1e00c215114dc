/** Word lists for the demo catalog: clothing, home and outdoor goods a small shop sells. */
export const CATEGORY_TREE: { name: string; children: string[] }[] = [
  { name: 'Clothing', children: ['T-Shirts', 'Hoodies', 'Jackets', 'Jeans', 'Dresses'] },
  { name: 'Shoes', children: ['Sneakers', 'Boots', 'Sandals'] },
  { name: 'Accessories', children: ['Bags', 'Hats', 'Scarves'] },
  { name: 'Home', children: ['Mugs', 'Candles', 'Blankets'] },
  { name: 'Outdoor', children: ['Tents', 'Backpacks'] },
];

/** Per leaf category: the product type, the nouns of its titles and its options. */
export const KINDS: Record<string, { type: string; nouns: string[]; options: { name: string; values: string[] }[]; base: [number, number]; grams: number }> = {
  'T-Shirts': { type: 'T-Shirt', nouns: ['T-Shirt', 'Tee', 'Crew Neck T-Shirt', 'V-Neck Tee'], options: [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }, { name: 'Color', values: ['Black', 'White', 'Navy', 'Red'] }], base: [1500, 3500], grams: 180 },
  Hoodies: { type: 'Hoodie', nouns: ['Hoodie', 'Zip Hoodie', 'Pullover Hoodie'], options: [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }, { name: 'Color', values: ['Grey', 'Black', 'Green'] }], base: [4000, 8000], grams: 550 },
  Jackets: { type: 'Jacket', nouns: ['Rain Jacket', 'Denim Jacket', 'Puffer Jacket', 'Windbreaker'], options: [{ name: 'Size', values: ['S', 'M', 'L', 'XL'] }], base: [8000, 22000], grams: 800 },
  Jeans: { type: 'Jeans', nouns: ['Slim Jeans', 'Straight Jeans', 'Relaxed Jeans'], options: [{ name: 'Waist', values: ['28', '30', '32', '34', '36'] }], base: [5000, 12000], grams: 700 },
  Dresses: { type: 'Dress', nouns: ['Summer Dress', 'Wrap Dress', 'Midi Dress'], options: [{ name: 'Size', values: ['XS', 'S', 'M', 'L'] }], base: [4500, 15000], grams: 350 },
  Sneakers: { type: 'Sneakers', nouns: ['Running Sneakers', 'Canvas Sneakers', 'Court Sneakers'], options: [{ name: 'Size', values: ['38', '39', '40', '41', '42', '43', '44'] }], base: [6000, 16000], grams: 900 },
  Boots: { type: 'Boots', nouns: ['Chelsea Boots', 'Hiking Boots', 'Work Boots'], options: [{ name: 'Size', values: ['39', '40', '41', '42', '43', '44'] }], base: [9000, 25000], grams: 1400 },
  Sandals: { type: 'Sandals', nouns: ['Slide Sandals', 'Trail Sandals'], options: [{ name: 'Size', values: ['38', '40', '42', '44'] }], base: [2500, 7000], grams: 400 },
  Bags: { type: 'Bag', nouns: ['Tote Bag', 'Messenger Bag', 'Weekender Bag', 'Crossbody Bag'], options: [{ name: 'Color', values: ['Black', 'Tan', 'Olive'] }], base: [3000, 18000], grams: 600 },
  Hats: { type: 'Hat', nouns: ['Beanie', 'Baseball Cap', 'Bucket Hat', 'Sun Hat'], options: [{ name: 'Color', values: ['Black', 'Beige', 'Navy'] }], base: [1500, 4500], grams: 120 },
  Scarves: { type: 'Scarf', nouns: ['Wool Scarf', 'Silk Scarf', 'Knit Scarf'], options: [], base: [2000, 9000], grams: 200 },
  Mugs: { type: 'Mug', nouns: ['Coffee Mug', 'Travel Mug', 'Espresso Cup'], options: [{ name: 'Color', values: ['White', 'Blue', 'Speckled'] }], base: [900, 3200], grams: 350 },
  Candles: { type: 'Candle', nouns: ['Scented Candle', 'Soy Candle', 'Pillar Candle'], options: [{ name: 'Scent', values: ['Cedar', 'Lavender', 'Vanilla', 'Citrus'] }], base: [1200, 4000], grams: 300 },
  Blankets: { type: 'Blanket', nouns: ['Throw Blanket', 'Wool Blanket', 'Picnic Blanket'], options: [], base: [4000, 14000], grams: 1200 },
  Tents: { type: 'Tent', nouns: ['Dome Tent', 'Backpacking Tent', 'Family Tent'], options: [{ name: 'Capacity', values: ['2-person', '4-person'] }], base: [12000, 45000], grams: 2500 },
  Backpacks: { type: 'Backpack', nouns: ['Daypack', 'Hiking Backpack', 'Laptop Backpack', 'Rolltop Backpack'], options: [{ name: 'Color', values: ['Black', 'Orange', 'Forest'] }], base: [5000, 20000], grams: 900 },
};

export const ADJECTIVES = ['Classic', 'Organic Cotton', 'Recycled', 'Everyday', 'Heritage', 'Lightweight', 'Heavyweight', 'Vintage', 'Essential', 'Premium', 'Waterproof', 'Merino', 'Linen', 'Striped', 'Minimal', 'Oversized', 'Cozy', 'Rugged', 'Packable', 'Handmade'];
export const VENDORS = ['Northwind Outfitters', 'Acme Apparel', 'Lumen & Co', 'Fjord Supply', 'Harbor Goods', 'Pinecone Studio', 'Urban Thread', 'Sierra Works'];
export const TAGS = ['new', 'sale', 'bestseller', 'eco', 'gift', 'limited', 'unisex', 'summer', 'winter', 'travel'];
export const MATERIALS = ['organic cotton', 'recycled polyester', 'merino wool', 'linen', 'full-grain leather', 'ceramic', 'soy wax', 'ripstop nylon'];

export const REVIEW_TEXT: Record<'good' | 'ok' | 'bad', { titles: string[]; bodies: string[] }> = {
  good: {
    titles: ['Love it', 'Excellent quality', 'Perfect gift', 'Great value', 'Highly recommend'],
    bodies: ['Beautiful and well made, I love it. Great quality for the price.', 'Excellent fit and the material feels wonderful. Very happy!', 'Arrived fast and looks amazing. Would definitely buy again.', 'Fantastic product, comfortable and sturdy. Highly recommended.'],
  },
  ok: {
    titles: ['It is fine', 'Average', 'Does the job'],
    bodies: ['It is okay. Arrived on time and matches the description.', 'Decent for everyday use, nothing special.', 'Does what it says. The colour is a little different from the photo.'],
  },
  bad: {
    titles: ['Disappointed', 'Poor quality', 'Not worth it'],
    bodies: ['Terrible quality, it broke after a week. Very disappointed.', 'Awful fit and the stitching came apart. Would not recommend.', 'Cheap material and bad finish. I returned it.'],
  },
};
